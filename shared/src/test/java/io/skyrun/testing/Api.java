package io.skyrun.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A small real-HTTP client for tests: sends requests to a server on 127.0.0.1 and parses JSON answers. */
public final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public Api(URI base) {
        this.base = base;
    }

    public Api(String base) {
        this(URI.create(base));
    }

    /** An HTTP answer: status, headers and body text. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        public String error() {
            return json().path("error").asText(null);
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Response patch(String path, String json) {
        return send("PATCH", path, json, "application/json");
    }

    /** Sends any request; a null body sends none, a null content type sends no Content-Type header. */
    public Response send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a paged list to its end by following each page's {@code Link: <...>; rel="next"}; checks on the way
     * that every answer is 200 with a JSON array and that the Link carries the page's {@code X-Next-Cursor}.
     *
     * @return the items of every page, in order
     */
    public List<JsonNode> walk(String firstPage) {
        List<JsonNode> items = new java.util.ArrayList<>();
        String next = firstPage;
        for (int pages = 0; next != null; pages++) {
            if (pages > 1000) {
                throw new AssertionError("paging did not end at " + next);
            }
            Response page = get(next);
            if (page.status() != 200 || !page.json().isArray()) {
                throw new AssertionError("page " + next + " answered " + page.status() + ": " + page.body());
            }
            page.json().forEach(items::add);
            String link = page.header("Link");
            String cursor = page.header("X-Next-Cursor");
            if ((link == null) != (cursor == null)) {
                throw new AssertionError("Link and X-Next-Cursor must come together: " + page.headers());
            }
            if (link == null) {
                return items;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^<([^>]+)>; rel=\"next\"$").matcher(link);
            if (!m.matches() || !m.group(1).endsWith("cursor=" + cursor)) {
                throw new AssertionError("unexpected Link header " + link + " with cursor " + cursor);
            }
            next = m.group(1);
        }
        return items;
    }

    /** Creates a goal and returns its JSON; fails the test unless the answer is 201. */
    public JsonNode createGoal(String json) {
        Response response = post("/api/v1/goals", json);
        if (response.status() != 201) {
            throw new AssertionError("create goal answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }
}
