package io.skyrun.agent.tools.search;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.skyrun.agent.tools.ToolFailure;
import io.skyrun.http.OutboundClient;
import io.skyrun.http.OutboundRefused;
import org.jsoup.Jsoup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A search service spoken to in JSON over HTTP: one request per call through the outbound client, 429, 5xx
 * and connection failures tried again with backoff, redirects not followed, and the key kept out of every
 * message.
 */
public abstract class JsonSearchBackend implements SearchBackend {
    private static final Logger LOG = LoggerFactory.getLogger(JsonSearchBackend.class);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(5);
    private static final int MAX_FIELD_CHARS = 400;

    private final OutboundClient client;
    private final JsonMapper json;
    private final SearchConfig config;

    protected JsonSearchBackend(OutboundClient client, JsonMapper json, SearchConfig config) {
        this.client = Objects.requireNonNull(client, "client");
        this.json = Objects.requireNonNull(json, "json");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The request for one search. */
    protected abstract OutboundClient.Request request(String query, int max) throws ToolFailure;

    /** The hits in a parsed answer; throws when the answer is not of the documented shape. */
    protected abstract List<SearchResult> results(JsonNode body) throws ToolFailure;

    /** A hint appended to the error for this HTTP status, e.g. which setting to check. */
    protected String hint(int status) {
        return status == 401 || status == 403 ? " (check SKYRUN_SEARCH_API_KEY)" : "";
    }

    @Override
    public List<SearchResult> search(String query, int max) throws ToolFailure {
        OutboundClient.Request request = request(query, max);
        Duration backoff = config.backoff();
        int attempts = Math.max(1, config.attempts());
        String lastError = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Duration wait = backoff;
            try {
                OutboundClient.Response response = client.exchange(request, config.timeout(),
                        OutboundClient.BodyLimit.of(config.maxBytes()));
                int status = response.status();
                if (status >= 200 && status <= 299) {
                    return trimmed(results(parse(response)), max);
                }
                lastError = name() + " answered HTTP " + status + hint(status) + snippet(response.body());
                if (status != 429 && status < 500) {
                    // includes 3xx: the configured endpoint is called as it is, redirects are not followed
                    throw new ToolFailure(lastError);
                }
                wait = retryAfter(response, backoff);
            } catch (OutboundRefused e) {
                throw new ToolFailure(name() + " search refused: " + e.getMessage());
            } catch (HttpTimeoutException e) {
                throw new ToolFailure(name() + " search timed out after " + config.timeout());
            } catch (IOException e) {
                lastError = name() + " search failed: " + redact(String.valueOf(e.getMessage()));
            }
            LOG.warn("web_search attempt {}/{} failed: {}", attempt, attempts, lastError);
            if (attempt < attempts) {
                sleep(wait);
                backoff = backoff.multipliedBy(2);
            }
        }
        throw new ToolFailure(lastError + " (after " + attempts + " attempts)");
    }

    /** Waits between attempts; tests override it to record the waits. */
    protected void sleep(Duration wait) throws ToolFailure {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure(name() + " search interrupted");
        }
    }

    protected SearchConfig config() {
        return config;
    }

    protected JsonMapper json() {
        return json;
    }

    /** The configured base URL, or the given default, with any trailing slash removed. */
    protected URI base(String defaultUrl) {
        String url = config.url() == null || config.url().isBlank() ? defaultUrl : config.url().strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return URI.create(url);
    }

    /** A string field of a result as plain text (some services put HTML tags in titles and snippets). */
    protected static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isString()) {
            return "";
        }
        String plain = Jsoup.parse(value.getStringValue()).text().strip();
        return plain.length() > MAX_FIELD_CHARS ? plain.substring(0, MAX_FIELD_CHARS) + "..." : plain;
    }

    /** A string field as it is (for URLs), or empty. */
    protected static String raw(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() ? value.getStringValue().strip() : "";
    }

    /** The array at the given field, failing with a clear message when it is something else. */
    protected List<JsonNode> array(JsonNode parent, String field, String path) throws ToolFailure {
        JsonNode value = parent == null ? null : parent.get(field);
        if (value == null || !value.isArray()) {
            throw new ToolFailure("unexpected answer from " + name() + ": no '" + path + "' array");
        }
        List<JsonNode> out = new ArrayList<>();
        value.values().forEach(out::add);
        return out;
    }

    private JsonNode parse(OutboundClient.Response response) throws ToolFailure {
        if (response.truncated()) {
            throw new ToolFailure(name() + " answered more than " + config.maxBytes() + " bytes");
        }
        JsonNode body;
        try {
            body = json.readValue(response.body(), JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new ToolFailure(name() + " answered with a body that is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new ToolFailure("unexpected answer from " + name() + ": not a JSON object");
        }
        return body;
    }

    private static List<SearchResult> trimmed(List<SearchResult> results, int max) {
        return results.stream().filter(r -> !r.url().isBlank()).limit(max).toList();
    }

    private static Duration retryAfter(OutboundClient.Response response, Duration backoff) {
        String header = response.header("Retry-After");
        if (header != null) {
            try {
                Duration asked = Duration.ofSeconds(Long.parseLong(header.strip()));
                return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked.isNegative() ? backoff : asked;
            } catch (NumberFormatException e) {
                // an HTTP date or garbage: our own backoff will do
            }
        }
        return backoff;
    }

    // A little of an error body helps (services say what was wrong), but some echo the request, so the key goes.
    private String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        // redacted before it is cut, so a cut cannot leave part of the key behind
        String text = redact(new String(body, StandardCharsets.UTF_8)).replaceAll("\\s+", " ").strip();
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    protected String redact(String text) {
        String key = config.apiKey();
        return key == null || key.isBlank() ? text : text.replace(key, "[redacted]");
    }
}
