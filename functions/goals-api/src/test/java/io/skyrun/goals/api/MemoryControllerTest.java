package io.skyrun.goals.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.memory.MemoryService;
import io.skyrun.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/goals/{id}/memory} over real HTTP: write, list, replace, delete, and bad input. */
@MicronautTest(transactional = false)
class MemoryControllerTest {
    @Inject
    EmbeddedServer server;
    @Inject
    MemoryService memory;

    Api api;
    String goalId;

    @BeforeEach
    void goal() {
        api = new Api(server.getURI());
        goalId = api.createGoal("{\"objective\":\"Memory API test goal\"}").path("id").asText();
    }

    private Api.Response put(String key, String body) {
        return api.send("PUT", "/api/v1/goals/" + goalId + "/memory/" + key, body, "application/json");
    }

    private static List<String> keys(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false).map(e -> e.path("key").asText()).toList();
    }

    @Test
    void entriesAreWrittenReplacedListedAndDeleted() {
        Api.Response created = put("customer.name", "{\"type\":\"fact\",\"content\":\"ACME Corp\"}");
        put("draft", "{\"type\":\"artifact\",\"content\":\"# Report\\nfirst draft\"}");
        Api.Response replaced = put("customer.name", "{\"type\":\"fact\",\"content\":\"ACME Corporation\"}");

        assertThat(created.status()).isEqualTo(200);
        JsonNode entry = replaced.json();
        assertThat(entry.path("id").asText()).isEqualTo(created.json().path("id").asText()).startsWith("mem_");
        assertThat(entry.path("goalId").asText()).isEqualTo(goalId);
        assertThat(entry.path("type").asText()).isEqualTo("fact");
        assertThat(entry.path("content").asText()).isEqualTo("ACME Corporation");
        assertThat(entry.path("runId").isNull()).isTrue();
        assertThat(entry.path("createdAt").asText()).isEqualTo(created.json().path("createdAt").asText());
        assertThat(keys(api.get("/api/v1/goals/" + goalId + "/memory").json())).containsExactly("customer.name", "draft");
        assertThat(keys(api.get("/api/v1/goals/" + goalId + "/memory?type=artifact").json())).containsExactly("draft");

        assertThat(api.delete("/api/v1/goals/" + goalId + "/memory/draft").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/goals/" + goalId + "/memory/draft").error()).isEqualTo("Memory entry not found");
        assertThat(api.delete("/api/v1/goals/" + goalId + "/memory/" + "k".repeat(2000)).status()).isEqualTo(404);
        assertThat(keys(api.get("/api/v1/goals/" + goalId + "/memory").json())).containsExactly("customer.name");
    }

    @Test
    void badInputAnswers400AndUnknownGoals404() {
        assertThat(put("k", "{\"type\":\"secret\",\"content\":\"x\"}").error()).isEqualTo("type must be one of: note, fact, artifact");
        assertThat(put("k", "{\"type\":\"note\"}").error()).isEqualTo("content is required and must be a string");
        assertThat(put("k", "{\"type\":\"note\",\"content\":\"   \"}").error()).isEqualTo("content must be a non-empty string");
        assertThat(put("k", "{\"type\":\"note\",\"content\":\"" + "x".repeat(8001) + "\"}").error())
                .isEqualTo("content must be at most 8000 characters");
        assertThat(put("k", "not json").error()).isEqualTo("Request body is not valid JSON");
        assertThat(put("-bad", "{\"type\":\"note\",\"content\":\"x\"}").status()).isEqualTo(400);
        assertThat(put("a%20b", "{\"type\":\"note\",\"content\":\"x\"}").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/goals/" + goalId + "/memory?type=secret").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/goals/" + goalId + "/memory").json()).isEmpty();

        Api.Response unknown = api.send("PUT", "/api/v1/goals/goal_unknown/memory/k", "{\"type\":\"note\",\"content\":\"x\"}",
                "application/json");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("Goal not found");
        assertThat(api.get("/api/v1/goals/goal_unknown/memory").status()).isEqualTo(404);
    }

    @Test
    void aGoalKeepsAtMost200Entries() {
        for (int i = 0; i < MemoryService.MAX_ENTRIES; i++) {
            memory.write("default", goalId, "note", "n" + i, "note " + i, null);
        }

        assertThat(put("one-more", "{\"type\":\"note\",\"content\":\"x\"}").error()).startsWith("memory is full");
        assertThat(put("n7", "{\"type\":\"note\",\"content\":\"overwriting is fine\"}").status()).isEqualTo(200);
    }

    @Test
    void deletingTheGoalRemovesItsMemory() {
        put("k", "{\"type\":\"note\",\"content\":\"x\"}");

        assertThat(api.delete("/api/v1/goals/" + goalId).status()).isEqualTo(204);

        assertThat(api.get("/api/v1/goals/" + goalId + "/memory").status()).isEqualTo(404);
        assertThat(memory.find("default", goalId, "k")).isEmpty();
    }
}
