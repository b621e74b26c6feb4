package io.skyrun.e2e;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.SnapStartHooks;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

/**
 * Runs in a separate JVM whose classpath is one shaded Lambda jar (plus the Lambda runtime's
 * serializer): builds the handler, feeds it one event read from a file, prints the response as JSON.
 */
public final class JarLaunch {
    private JarLaunch() {
    }

    /** With this system property true, the SnapStart hooks run between the handler's construction and the event. */
    static final String SNAPSHOT = "jarlaunch.snapshot";

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        Class<?> eventType = Class.forName(args[1]);
        RequestHandler handler = (RequestHandler) Class.forName(handlerClass).getConstructor().newInstance();
        if (Boolean.getBoolean(SNAPSHOT)) {
            snapshotAndRestore(handler);
        }
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

    /**
     * As Lambda SnapStart calls the hooks around a snapshot: the handler's application context (the first field of
     * that type in its class hierarchy) holds the SnapStartHooks bean.
     */
    private static void snapshotAndRestore(Object handler) throws ReflectiveOperationException {
        ApplicationContext context = null;
        for (Class<?> type = handler.getClass(); context == null && type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (ApplicationContext.class.isAssignableFrom(field.getType())) {
                    field.setAccessible(true);
                    context = (ApplicationContext) field.get(handler);
                    break;
                }
            }
        }
        if (context == null) {
            throw new IllegalStateException(handler.getClass() + " holds no application context");
        }
        SnapStartHooks hooks = context.getBean(SnapStartHooks.class);
        hooks.beforeCheckpoint(null);
        hooks.afterRestore(null);
        System.out.println("SNAPSHOT_AND_RESTORE done");
    }
}
