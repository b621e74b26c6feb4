package io.skyrun.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One cold start, as the Lambda Java runtime does it: construct the handler (the init phase), read one
 * event with the runtime's own serializer, invoke {@code handleRequest(event, null)} once, and print
 *
 * <pre>COLDSTART &lt;ms from JVM start to response&gt; RSS_KB &lt;VmHWM&gt; STATUS &lt;what came back&gt; INIT_MS &lt;...&gt; END_EPOCH_MS &lt;...&gt;</pre>
 *
 * Usage: {@code java -cp launcher.jar:aws-lambda-java-serialization.jar:<function.jar> io.skyrun.bench.Launch
 * <handler class> <event file> <event class>}. It is started by {@link ColdStart} in a fresh JVM per
 * measurement; the runner's classes are never on that classpath, only this class.
 */
public final class Launch {
    private Launch() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Launch <handler class> <event file> <event class>");
            System.exit(2);
        }
        ClassLoader loader = Launch.class.getClassLoader();
        Class<?> handlerClass = Class.forName(args[0], true, loader);
        Object handler = handlerClass.getDeclaredConstructor().newInstance();
        long initDone = System.currentTimeMillis();

        Class<?> eventClass = Class.forName(args[2], true, loader);
        Object event;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            event = serializerFor(eventClass, loader).fromJson(in);
        }
        @SuppressWarnings("unchecked")
        Object response = ((RequestHandler<Object, Object>) handler).handleRequest(event, null);
        long end = System.currentTimeMillis();

        // measured above; everything below only reports
        long start = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("COLDSTART " + (end - start) + " RSS_KB " + vmHwmKb() + " STATUS " + status(response)
                + " INIT_MS " + (initDone - start) + " END_EPOCH_MS " + end);
        System.out.flush();
        if (handler instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the JVM ends next
            }
        }
        System.exit(0);
    }

    /** What the Lambda runtime picks: its event serializers for AWS event types, plain Jackson otherwise. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializerFor(Class<?> type, ClassLoader loader) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(type, loader);
        }
        return (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(type);
    }

    /** HTTP status for API responses, failure count for SQS batch responses, the map itself otherwise. */
    private static String status(Object response) {
        if (response == null) {
            return "null";
        }
        try {
            Object code = response.getClass().getMethod("getStatusCode").invoke(response);
            return "HTTP_" + code;
        } catch (ReflectiveOperationException ignored) {
            // not an API Gateway response
        }
        try {
            Object failures = response.getClass().getMethod("getBatchItemFailures").invoke(response);
            return "batchItemFailures=" + (failures == null ? 0 : ((List<?>) failures).size());
        } catch (ReflectiveOperationException ignored) {
            // not an SQS batch response
        }
        String text = String.valueOf(response).replaceAll("\\s+", "_");
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** Peak resident set size of this process, from /proc/self/status (-1 where there is none). */
    private static long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }
}
