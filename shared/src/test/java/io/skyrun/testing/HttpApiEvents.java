package io.skyrun.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Builds API Gateway HTTP API (payload 2.0) events as the JSON AWS sends, and turns them into the
 * event object with the Lambda runtime's own serializer, so handlers see exactly what they see in AWS.
 */
public final class HttpApiEvents {
    private static final PojoSerializer<APIGatewayV2HTTPEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiEvents.class.getClassLoader());

    private HttpApiEvents() {
    }

    /** An event for {@code method path?query} with optional JSON body and extra headers (name, value, ...). */
    public static APIGatewayV2HTTPEvent event(String method, String pathAndQuery, String body, String... headers) {
        return SERIALIZER.fromJson(new ByteArrayInputStream(json(method, pathAndQuery, body, headers)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** The raw JSON of such an event. */
    public static String json(String method, String pathAndQuery, String body, String... headers) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        String query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", "abc123.execute-api.us-east-1.amazonaws.com");
        h.put("user-agent", "curl/8.5.0");
        h.put("x-forwarded-for", "203.0.113.9");
        h.put("x-forwarded-port", "443");
        h.put("x-forwarded-proto", "https");
        if (body != null) {
            h.put("content-type", "application/json");
            h.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i].toLowerCase(), headers[i + 1]);
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        long now = Instant.now().toEpochMilli();
        return "{"
                + "\"version\":\"2.0\","
                + "\"routeKey\":\"$default\","
                + "\"rawPath\":" + quote(path) + ","
                + "\"rawQueryString\":" + quote(query) + ","
                + "\"headers\":" + object(h) + ","
                + (params.isEmpty() ? "" : "\"queryStringParameters\":" + object(params) + ",")
                + "\"requestContext\":{"
                + "\"accountId\":\"123456789012\",\"apiId\":\"abc123\","
                + "\"domainName\":\"abc123.execute-api.us-east-1.amazonaws.com\",\"domainPrefix\":\"abc123\","
                + "\"http\":{\"method\":" + quote(method) + ",\"path\":" + quote(path)
                + ",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"203.0.113.9\",\"userAgent\":\"curl/8.5.0\"},"
                + "\"requestId\":" + quote(UUID.randomUUID().toString()) + ",\"routeKey\":\"$default\","
                + "\"stage\":\"$default\",\"time\":\"23/Nov/2026:12:00:00 +0000\",\"timeEpoch\":" + now + "},"
                + (body == null ? "" : "\"body\":" + quote(body) + ",")
                + "\"isBase64Encoded\":false}";
    }

    private static String object(Map<String, String> map) {
        return map.entrySet().stream().map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
