package io.skyrun.local;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile and malformed input to every route answers a 4xx in the API's error format, never a 5xx. */
@MicronautTest(transactional = false)
class NoServerErrorTest {
    private static final List<String> BODIES = List.of(
            "", " ", "{", "}", "[", "null", "true", "0", "-1", "1e999", "\"x\"", "{}", "[]", "{\"\":\"\"}",
            "{\"objective\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
            "{\"objective\":\"" + "\\ud800".repeat(20) + "\"}",
            "{\"objective\":\"valid objective\",\"params\":{\"stepBudget\":99999999999999999999999}}",
            "{\"objective\":\"valid objective\",\"params\":{\"stepBudget\":-0.0}}",
            "{\"objective\":\"valid objective\",\"params\":{\"allowedTools\":[null]}}",
            "{\"objective\":\"valid objective\",\"params\":{\"constraints\":{\"a\":\"\\u0000\"}}}",
            "{\"objective\":\"valid objective\",\"schedule\":{\"cronExpr\":\"\\u0000\"}}",
            "{\"objective\":\"valid objective\",\"schedule\":{\"cronExpr\":\"* * * * *\",\"timezone\":\"\"}}",
            "{\"objective\":\"valid objective\",\"webhookUrl\":\"http://[::1\"}",
            "{\"objective\":\"valid objective\",\"status\":{}}",
            "{\"status\":[\"paused\"]}",
            "\u0000\u0001\u0002");
    private static final List<String> PATHS = List.of(
            "/api/v1/goals", "/api/v1/goals/%s", "/api/v1/goals/%s/run", "/api/v1/goals/%s/pause",
            "/api/v1/goals/%s/resume", "/api/v1/runs", "/api/v1/runs/%s", "/api/v1/runs/%s/steps");
    private static final List<String> IDS = List.of("x", "goal_", "%00", "%27%3B--", "a".repeat(3000), "..%2F..",
            "%F0%9F%92%A9", "run_" + "9".repeat(50));

    @Inject
    EmbeddedServer server;

    @Test
    void noMalformedRequestAnswersAServerError() {
        Api api = new Api(server.getURI());
        Random random = new Random(42);
        List<String> failures = new ArrayList<>();
        for (String pathTemplate : PATHS) {
            for (String id : IDS) {
                String path = pathTemplate.contains("%s") ? pathTemplate.replace("%s", id) : pathTemplate;
                for (String method : List.of("GET", "POST", "PATCH", "DELETE", "PUT")) {
                    String body = method.equals("GET") || method.equals("DELETE") ? null
                            : BODIES.get(random.nextInt(BODIES.size()));
                    String type = random.nextBoolean() ? "application/json" : random.nextBoolean() ? "text/plain" : null;
                    Api.Response response = api.send(method, path, body, type);
                    if (response.status() >= 500 || (response.status() >= 400 && !response.body().contains("\"error\""))) {
                        failures.add(method + " " + path.substring(0, Math.min(60, path.length())) + " " + body + " -> "
                                + response.status() + " " + response.body());
                    }
                }
            }
        }
        for (String body : BODIES) {
            for (String path : List.of("/api/v1/goals", "/api/v1/goals?status=%00", "/api/v1/runs?status=x&goalId=%00")) {
                Api.Response response = api.send(path.contains("?") ? "GET" : "POST", path, body, "application/json");
                if (response.status() >= 500) {
                    failures.add(path + " " + body + " -> " + response.status() + " " + response.body());
                }
            }
        }
        assertThat(failures).isEmpty();
    }
}
