package io.skyrun.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** One in-memory DynamoDB Local per test JVM, on a free port of 127.0.0.1, over real HTTP. */
public final class DynamoLocal {
    private static String endpoint;

    private DynamoLocal() {
    }

    public static synchronized String endpoint() {
        if (endpoint == null) {
            int port = freePort();
            try {
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[]{
                        "-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.stop();
                    } catch (Exception ignored) {
                        // the JVM is going away
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not start", e);
            }
            endpoint = "http://127.0.0.1:" + port;
        }
        return endpoint;
    }

    /** Properties that point a skyrun context at DynamoDB Local, with a table of its own. */
    public static Map<String, String> properties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("skyrun.storage", "dynamodb");
        props.put("skyrun.aws.dynamodb-endpoint", endpoint());
        props.put("skyrun.dynamodb.table", "skyrun-test-" + UUID.randomUUID());
        props.put("skyrun.dynamodb.create-table", "true");
        return props;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
