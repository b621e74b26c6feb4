package io.skyrun.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.testing.Api;
import io.skyrun.testing.Goals;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /health}, {@code /health/ready}, CORS and the error format of unknown routes, over real HTTP. */
@MicronautTest(transactional = false)
class HealthControllerTest {
    @Inject
    EmbeddedServer server;
    @Inject
    GoalService goals;
    @Inject
    GoalRequests requests;

    @Test
    void healthAnswersOkWithATimestamp() {
        Api.Response response = new Api(server.getURI()).get("/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("ok");
        assertThat(response.json().path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void readinessReportsTheOfflineModelAndCountsActiveSchedules() {
        Api api = new Api(server.getURI());
        long before = api.get("/health/ready").json().path("scheduler").path("activeSchedules").asLong();
        Goals.create(goals, requests, "{\"objective\":\"Scheduled for readiness\",\"schedule\":{\"cronExpr\":\"0 * * * *\"}}");
        var paused = Goals.create(goals, requests,
                "{\"objective\":\"Paused schedule for readiness\",\"schedule\":{\"cronExpr\":\"0 * * * *\"}}");
        goals.pause("default", paused.id());

        JsonNode ready = api.get("/health/ready").json();

        assertThat(ready.path("status").asText()).isEqualTo("ready");
        assertThat(ready.path("provider").asText()).isEqualTo("offline");
        assertThat(ready.path("model").asText()).isEqualTo("offline-deterministic-v1");
        assertThat(ready.path("scheduler").path("activeSchedules").asLong()).isEqualTo(before + 1);
        assertThat(ready.path("timestamp").asText()).endsWith("Z");
    }

    @Test
    void aCorsPreflightFromALocalDevServerIsAllowed() {
        Api.Response response = new Api(server.getURI()).send("OPTIONS", "/health", null, null,
                "Origin", "http://localhost:5173", "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "content-type");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:5173");
        assertThat(response.header("Access-Control-Allow-Methods")).contains("GET");
    }

    @Test
    void aSimpleCrossOriginRequestGetsTheAllowOriginHeader() {
        Api.Response response = new Api(server.getURI()).send("GET", "/health", null, null,
                "Origin", "http://127.0.0.1:3000");

        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:3000");
    }

    @Test
    void aLoopbackServerRefusesPagesFromOtherSitesByDefault() {
        Api.Response response = new Api(server.getURI()).send("GET", "/health", null, null,
                "Origin", "https://evil.example");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void anUnknownRouteAnswers404InTheApiErrorFormat() {
        Api.Response response = new Api(server.getURI()).get("/nothing/here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"Route GET /nothing/here not found\"}");
    }
}
