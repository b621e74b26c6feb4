package io.skyrun.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the S3 REST protocol (path-style) that output files use, on 127.0.0.1: PutObject, GetObject,
 * ListObjectsV2 and DeleteObjects, for one bucket. Requests are recorded.
 */
public final class FakeS3 implements AutoCloseable {
    private final HttpServer server;
    private final String bucket;
    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeS3(String bucket) {
        this.bucket = bucket;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Map<String, byte[]> objects() {
        return Map.copyOf(objects);
    }

    /** "METHOD path?query" of every request. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            requests.add(method + " " + path + (query.isEmpty() ? "" : "?" + query));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String prefix = "/" + bucket;
            if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
                send(exchange, 404, "<Error><Code>NoSuchBucket</Code></Error>");
                return;
            }
            String key = path.length() > prefix.length() + 1
                    ? URLDecoder.decode(path.substring(prefix.length() + 1), StandardCharsets.UTF_8) : "";
            if (method.equals("PUT") && !key.isEmpty()) {
                objects.put(key, body);
                exchange.getResponseHeaders().add("ETag", "\"etag\"");
                send(exchange, 200, "");
            } else if (method.equals("GET") && !key.isEmpty()) {
                byte[] found = objects.get(key);
                if (found == null) {
                    send(exchange, 404, "<Error><Code>NoSuchKey</Code><Message>missing</Message></Error>");
                } else {
                    exchange.sendResponseHeaders(200, found.length);
                    exchange.getResponseBody().write(found);
                }
            } else if (method.equals("GET") && query.contains("list-type=2")) {
                Matcher m = Pattern.compile("(?:^|&)prefix=([^&]*)").matcher(query);
                String wanted = m.find() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : "";
                StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<ListBucketResult><Name>" + bucket + "</Name><Prefix>" + wanted + "</Prefix>"
                        + "<IsTruncated>false</IsTruncated>");
                int count = 0;
                for (Map.Entry<String, byte[]> e : objects.entrySet()) {
                    if (e.getKey().startsWith(wanted)) {
                        count++;
                        xml.append("<Contents><Key>").append(e.getKey()).append("</Key><LastModified>")
                                .append("2026-11-23T10:00:00.000Z</LastModified><ETag>\"etag\"</ETag><Size>")
                                .append(e.getValue().length).append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
                    }
                }
                xml.append("<KeyCount>").append(count).append("</KeyCount></ListBucketResult>");
                send(exchange, 200, xml.toString());
            } else if (method.equals("POST") && query.startsWith("delete")) {
                Matcher m = Pattern.compile("<Key>([^<]*)</Key>").matcher(new String(body, StandardCharsets.UTF_8));
                while (m.find()) {
                    objects.remove(m.group(1));
                }
                send(exchange, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult></DeleteResult>");
            } else {
                send(exchange, 400, "<Error><Code>NotImplemented</Code></Error>");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
