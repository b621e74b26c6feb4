package io.skyrun.e2e;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs in a separate JVM whose classpath is one shaded Lambda jar (plus the Lambda runtime's
 * serializer): builds the handler, feeds it one event read from a file, prints the response as JSON.
 */
public final class JarLaunch {
    private JarLaunch() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        Class<?> eventType = Class.forName(args[1]);
        RequestHandler handler = (RequestHandler) Class.forName(handlerClass).getConstructor().newInstance();
        Object event;
        try (InputStream in = new FileInputStream(args[2])) {
            PojoSerializer serializer = LambdaEventSerializers.serializerFor(eventType, JarLaunch.class.getClassLoader());
            event = serializer.fromJson(in);
        }
        Object response = handler.handleRequest(event, null);
        PojoSerializer out = LambdaEventSerializers.serializerFor(response.getClass(), JarLaunch.class.getClassLoader());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.toJson(response, bytes);
        System.out.println("RESPONSE " + bytes.toString(StandardCharsets.UTF_8));
        System.exit(0);
    }
}
