package io.skyrun.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /openapi.json} describes every endpoint of every group in the local server, and {@code /docs} renders it. */
@MicronautTest(transactional = false)
class OpenApiTest {
    @Inject
    EmbeddedServer server;

    @Test
    void theDocumentListsEveryEndpointOfSeed002() {
        Api.Response response = new Api(server.getURI()).get("/openapi.json");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode doc = response.json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        List<String> operations = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
        assertThat(operations).contains(
                "GET /health", "GET /health/ready",
                "POST /api/v1/goals", "GET /api/v1/goals", "GET /api/v1/goals/{id}", "PATCH /api/v1/goals/{id}",
                "DELETE /api/v1/goals/{id}", "POST /api/v1/goals/{id}/run", "POST /api/v1/goals/{id}/pause",
                "POST /api/v1/goals/{id}/resume",
                "GET /api/v1/runs", "GET /api/v1/runs/{id}", "GET /api/v1/runs/{id}/steps", "DELETE /api/v1/runs/{id}");
        assertThat(operations).noneMatch(op -> op.contains("openapi") || op.contains("/docs"));
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(schemas.has("GoalView")).isTrue();
        assertThat(schemas.has("RunView")).isTrue();
        assertThat(schemas.has("StepView")).isTrue();
        assertThat(schemas.has("ApiError")).isTrue();
        assertThat(schemas.path("CreateGoalBody").path("properties").has("schedule")).isTrue();
    }

    @Test
    void theDocsPageRendersTheDocument() {
        Api.Response response = new Api(server.getURI()).get("/docs");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body()).contains("<title>skyrun API</title>").contains("fetch('/openapi.json')");
    }
}
