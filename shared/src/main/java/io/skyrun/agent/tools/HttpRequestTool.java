package io.skyrun.agent.tools;

import io.micronaut.json.JsonMapper;
import io.skyrun.http.OutboundClient;
import io.skyrun.http.OutboundRefused;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code http_request} tool: GET, or POST a JSON body, to a host on the operator's allow list
 * ({@code SKYRUN_HTTP_TOOL_ALLOWED_HOSTS}), and return status, content type and body text.
 *
 * <p>The allow list does not replace the address guard: every hop is also checked against private addresses
 * (unless {@code SKYRUN_OUTBOUND_ALLOW_PRIVATE=true}) and connects only to the address that was checked.
 * Redirects are followed only to allowed hosts.
 */
@Singleton
public class HttpRequestTool implements Tool {
    static final int MAX_OBSERVATION_CHARS = 8_000;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final ToolSpec SPEC = new ToolSpec("http_request",
            "Calls an HTTP API on an allowed host: GET, or POST with a JSON body. Returns the status, content type "
                    + "and body text.",
            Map.of("type", "object", "required", List.of("url"), "properties", Map.of(
                    "method", Map.of("type", "string", "enum", List.of("GET", "POST"), "description", "default GET"),
                    "url", Map.of("type", "string", "description", "absolute http(s) URL on an allowed host"),
                    "headers", Map.of("type", "object", "additionalProperties", Map.of("type", "string"),
                            "description", "extra request headers"),
                    "body", Map.of("description", "JSON value sent as the POST body"))));

    private final OutboundClient client;
    private final HttpToolConfig config;
    private final JsonMapper json;

    public HttpRequestTool(OutboundClient client, HttpToolConfig config, JsonMapper json) {
        this.client = client;
        this.config = config;
        this.json = json;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String call(Map<String, Object> input) throws ToolFailure {
        if (config.hosts().isEmpty()) {
            throw new ToolFailure("http_request is not available: no host is allowed (set "
                    + "SKYRUN_HTTP_TOOL_ALLOWED_HOSTS to a comma-separated list of host names)");
        }
        Map<String, Object> in = input == null ? Map.of() : input;
        String method = method(in.get("method"));
        URI uri = uri(in.get("url"));
        Map<String, String> headers = headers(in.get("headers"));
        byte[] body = body(method, in);
        if (body != null) {
            headers.putIfAbsent("Content-Type", "application/json");
        }
        headers.putIfAbsent("Accept", "application/json, text/*;q=0.9, */*;q=0.1");

        for (int redirects = 0; ; redirects++) {
            if (!config.allows(uri.getHost())) {
                throw new ToolFailure((redirects == 0 ? "" : "redirect refused: ") + "host '" + uri.getHost()
                        + "' is not in SKYRUN_HTTP_TOOL_ALLOWED_HOSTS");
            }
            OutboundClient.Response response = exchange(new OutboundClient.Request(method, uri, headers, body));
            String location = response.header("Location");
            if (!REDIRECTS.contains(response.status()) || location == null) {
                return observation(response);
            }
            if (redirects >= config.maxRedirects()) {
                throw new ToolFailure("too many redirects: stopped after " + config.maxRedirects());
            }
            uri = redirect(uri, location);
            int status = response.status();
            if ((status == 301 || status == 302 || status == 303) && !method.equals("GET")) {
                // as browsers do: the body is not sent on to another URL except on 307/308
                method = "GET";
                body = null;
                headers.remove("Content-Type");
            }
        }
    }

    private OutboundClient.Response exchange(OutboundClient.Request request) throws ToolFailure {
        try {
            return client.exchange(request, config.timeout(), OutboundClient.BodyLimit.of(config.maxBytes()));
        } catch (OutboundRefused e) {
            throw new ToolFailure(e.getMessage());
        } catch (HttpTimeoutException e) {
            throw new ToolFailure("http_request timed out after " + config.timeout());
        } catch (IOException e) {
            throw new ToolFailure("http_request failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
    }

    private String observation(OutboundClient.Response response) {
        String contentType = response.header("Content-Type");
        StringBuilder out = new StringBuilder("HTTP ").append(response.status()).append('\n');
        out.append("Content-Type: ").append(contentType == null ? "(none)" : contentType).append("\n\n");
        byte[] bytes = response.body();
        if (bytes.length == 0) {
            return out.append("(empty body)").toString();
        }
        if (!textual(contentType)) {
            return out.append("(").append(bytes.length).append(response.truncated() ? "+" : "")
                    .append(" bytes of binary content not shown)").toString();
        }
        String text = new String(bytes, charset(contentType));
        boolean cut = response.truncated();
        if (text.length() > MAX_OBSERVATION_CHARS) {
            text = text.substring(0, MAX_OBSERVATION_CHARS);
            cut = true;
        }
        out.append(text);
        if (cut) {
            out.append("\n[truncated]");
        }
        return out.toString();
    }

    private static String method(Object value) throws ToolFailure {
        if (value == null) {
            return "GET";
        }
        String m = value.toString().strip().toUpperCase(Locale.ROOT);
        if (!m.equals("GET") && !m.equals("POST")) {
            throw new ToolFailure("http_request supports GET and POST, not '" + value + "'");
        }
        return m;
    }

    private static URI uri(Object value) throws ToolFailure {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new ToolFailure("http_request needs a 'url' string");
        }
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new ToolFailure("http_request needs an absolute http(s) URL");
            }
            return withoutFragment(uri);
        } catch (URISyntaxException e) {
            throw new ToolFailure("not a valid URL: " + text);
        }
    }

    private static Map<String, String> headers(Object value) throws ToolFailure {
        Map<String, String> headers = new LinkedHashMap<>();
        if (value == null) {
            return headers;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ToolFailure("http_request 'headers' must be an object of strings");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String v)) {
                throw new ToolFailure("http_request header '" + e.getKey() + "' must be a string");
            }
            String name = String.valueOf(e.getKey());
            if (OutboundClient.RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new ToolFailure("http_request may not set the '" + name + "' header");
            }
            headers.put(name, v);
        }
        return headers;
    }

    private byte[] body(String method, Map<String, Object> in) throws ToolFailure {
        if (!in.containsKey("body") || in.get("body") == null) {
            return method.equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : null;
        }
        if (method.equals("GET")) {
            throw new ToolFailure("http_request sends a body only with POST");
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(in.get("body"));
        } catch (IOException | RuntimeException e) {
            throw new ToolFailure("http_request 'body' cannot be written as JSON");
        }
        if (bytes.length > config.maxRequestBytes()) {
            throw new ToolFailure("http_request body is larger than " + config.maxRequestBytes() + " bytes");
        }
        return bytes;
    }

    private static URI redirect(URI from, String location) throws ToolFailure {
        try {
            URI to = withoutFragment(from.resolve(new URI(location.strip())));
            String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || to.getHost() == null) {
                throw new ToolFailure("redirect refused: not an http(s) URL");
            }
            return to;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ToolFailure("bad redirect location: " + location);
        }
    }

    private static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String s = uri.toString();
        return URI.create(s.substring(0, s.indexOf('#')));
    }

    private static boolean textual(String contentType) {
        if (contentType == null) {
            return true;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
                || t.contains("x-www-form-urlencoded") || t.contains("yaml") || t.contains("csv");
    }

    private static Charset charset(String contentType) {
        if (contentType != null) {
            for (String part : contentType.split(";")) {
                String p = part.strip();
                if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", "").strip());
                    } catch (IllegalArgumentException e) {
                        break;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
