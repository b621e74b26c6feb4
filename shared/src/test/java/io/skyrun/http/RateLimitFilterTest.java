package io.skyrun.http;

import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests past the per-IP limit answer 429 in the API's error format. */
@MicronautTest(transactional = false)
@Property(name = "skyrun.rate-limit.per-minute", value = "3")
class RateLimitFilterTest {
    @Inject
    EmbeddedServer server;

    @Test
    void theFourthRequestInAMinuteAnswers429WithRetryAfter() {
        Api api = new Api(server.getURI());

        Api.Response first = api.get("/health");
        api.get("/health");
        Api.Response third = api.get("/health");
        Api.Response fourth = api.get("/health");

        // the minute may roll over between requests; then the window starts again and no 429 is due yet
        if (fourth.status() != 429) {
            fourth = api.get("/health");
            api.get("/health");
            api.get("/health");
            fourth = api.get("/health");
        }
        assertThat(first.header("X-RateLimit-Limit")).isEqualTo("3");
        assertThat(third.status()).isIn(200, 429);
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.error()).startsWith("Rate limit exceeded: 3 requests per minute");
        assertThat(Integer.parseInt(fourth.header("Retry-After"))).isBetween(1, 60);
    }

    @Test
    void corsPreflightsAreNotCounted() {
        Api api = new Api(server.getURI());

        for (int i = 0; i < 5; i++) {
            Api.Response preflight = api.send("OPTIONS", "/health", null, null, "Origin", "https://a.example",
                    "Access-Control-Request-Method", "GET");
            assertThat(preflight.status()).isNotEqualTo(429);
        }
    }
}
