package io.skyrun.goals.api;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.goals.GoalRepository;
import io.skyrun.paging.PageRequest;
import io.skyrun.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every validation rule of the goal bodies answers 400 with a message naming the field, and stores nothing. */
@MicronautTest(transactional = false)
class GoalValidationTest {
    static final String OK = "\"objective\":\"A valid objective\"";

    @Inject
    EmbeddedServer server;
    @Inject
    GoalRepository goals;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(server.getURI());
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> badCreateBodies() {
        return Stream.of(
                arguments("", "Request body must be a JSON object"),
                arguments("   ", "Request body must be a JSON object"),
                arguments("{bad json", "Request body is not valid JSON"),
                arguments("{\"objective\": \"unterminated}", "Request body is not valid JSON"),
                arguments("[]", "Request body must be a JSON object"),
                arguments("\"a string\"", "Request body must be a JSON object"),
                arguments("null", "Request body must be a JSON object"),
                arguments("{}", "objective is required"),
                arguments("{\"objective\":null}", "objective is required"),
                arguments("{\"objective\":42}", "objective must be a string"),
                arguments("{\"objective\":[\"a long enough text\"]}", "objective must be a string"),
                arguments("{\"objective\":\"too short\"}", "objective must be between 10 and 1000 characters"),
                arguments("{\"objective\":\"" + "x".repeat(1001) + "\"}", "objective must be between 10 and 1000 characters"),
                arguments("{\"objective\":\"NUL in \\u0000 the objective\"}", "objective must not contain NUL characters"),
                arguments("{" + OK + ",\"params\":[]}", "params must be an object"),
                arguments("{" + OK + ",\"params\":\"x\"}", "params must be an object"),
                arguments("{" + OK + ",\"params\":{\"stepBudget\":0}}", "params.stepBudget must be a positive integer"),
                arguments("{" + OK + ",\"params\":{\"stepBudget\":-3}}", "params.stepBudget must be a positive integer"),
                arguments("{" + OK + ",\"params\":{\"stepBudget\":1.5}}", "params.stepBudget must be a positive integer"),
                arguments("{" + OK + ",\"params\":{\"stepBudget\":\"5\"}}", "params.stepBudget must be a positive integer"),
                arguments("{" + OK + ",\"params\":{\"stepBudget\":true}}", "params.stepBudget must be a positive integer"),
                arguments("{" + OK + ",\"params\":{\"stepBudget\":101}}", "params.stepBudget must be at most 100"),
                arguments("{" + OK + ",\"params\":{\"stepBudget\":1e30}}", "params.stepBudget must be at most 100"),
                arguments("{" + OK + ",\"params\":{\"allowedTools\":\"web_search\"}}", "params.allowedTools must be an array of tool names"),
                arguments("{" + OK + ",\"params\":{\"allowedTools\":[1]}}", "params.allowedTools must be an array of tool names"),
                arguments("{" + OK + ",\"params\":{\"allowedTools\":[\"rm_rf\"]}}", "params.allowedTools contains unknown tool 'rm_rf'"),
                arguments("{" + OK + ",\"params\":{\"constraints\":[1,2]}}", "params.constraints must be an object"),
                arguments("{" + OK + ",\"webhookUrl\":123}", "webhookUrl must be a valid http(s) URL"),
                arguments("{" + OK + ",\"webhookUrl\":\"not a url\"}", "webhookUrl must be a valid http(s) URL"),
                arguments("{" + OK + ",\"webhookUrl\":\"ftp://example.com/x\"}", "webhookUrl must be a valid http(s) URL"),
                arguments("{" + OK + ",\"webhookUrl\":\"http://\"}", "webhookUrl must be a valid http(s) URL"),
                arguments("{" + OK + ",\"webhookUrl\":\"https://user:pw@example.com/\"}", "webhookUrl must be a valid http(s) URL"),
                arguments("{" + OK + ",\"webhookUrl\":\"https://example.com/" + "a".repeat(2100) + "\"}", "webhookUrl must be at most 2048 characters"),
                arguments("{" + OK + ",\"schedule\":\"0 9 * * *\"}", "schedule must be an object"),
                arguments("{" + OK + ",\"schedule\":{}}", "schedule.cronExpr is required"),
                arguments("{" + OK + ",\"schedule\":{\"cronExpr\":5}}", "schedule.cronExpr must be a string"),
                arguments("{" + OK + ",\"schedule\":{\"cronExpr\":\"61 * * * *\"}}", "schedule.cronExpr is not a valid 5-field cron expression: minute"),
                arguments("{" + OK + ",\"schedule\":{\"cronExpr\":\"0 0 9 * * *\"}}", "schedule.cronExpr is not a valid 5-field cron expression"),
                arguments("{" + OK + ",\"schedule\":{\"cronExpr\":\"every day\"}}", "schedule.cronExpr is not a valid 5-field cron expression"),
                arguments("{" + OK + ",\"schedule\":{\"cronExpr\":\"0 0 30 2 *\"}}", "schedule.cronExpr never matches a date"),
                arguments("{" + OK + ",\"schedule\":{\"cronExpr\":\"0 9 * * *\",\"timezone\":\"Mars/Olympus\"}}", "schedule.timezone must be a valid IANA time zone"),
                arguments("{" + OK + ",\"schedule\":{\"cronExpr\":\"0 9 * * *\",\"timezone\":7}}", "schedule.timezone must be a valid IANA time zone"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badCreateBodies")
    void aBadCreateBodyAnswers400NamingTheProblem(String body, String message) {
        int before = goals.list("default", null, PageRequest.first(100)).items().size();

        Api.Response response = api.post("/api/v1/goals", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith(message);
        assertThat(goals.list("default", null, PageRequest.first(100)).items()).hasSize(before);
    }

    @Test
    void aCreateWithoutAnyBodyAnswers400() {
        Api.Response response = api.send("POST", "/api/v1/goals", null, null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("Request body must be a JSON object");
    }

    @Test
    void objectivesOfExactly10And1000CharactersAreAccepted() {
        assertThat(api.post("/api/v1/goals", "{\"objective\":\"" + "x".repeat(10) + "\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/goals", "{\"objective\":\"" + "y".repeat(1000) + "\"}").status()).isEqualTo(201);
    }

    @Test
    void aBodyOverTheSizeLimitAnswers413InTheApiErrorFormat() {
        String huge = "{\"objective\":\"" + "z".repeat(2_000_000) + "\"}";

        Api.Response response = api.post("/api/v1/goals", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.error()).isNotBlank();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> badPatchBodies() {
        return Stream.of(
                arguments("{bad", "Request body is not valid JSON"),
                arguments("[1]", "Request body must be a JSON object"),
                arguments("{\"objective\":\"short\"}", "objective must be between 10 and 1000 characters"),
                arguments("{\"objective\":false}", "objective must be a string"),
                arguments("{\"objective\":null}", "objective must be a string"),
                arguments("{\"status\":\"done\"}", "status must be one of: active, paused, archived"),
                arguments("{\"status\":1}", "status must be one of: active, paused, archived"),
                arguments("{\"status\":null}", "status must be one of: active, paused, archived"),
                arguments("{\"params\":{\"stepBudget\":0}}", "params.stepBudget must be a positive integer"),
                arguments("{\"webhookUrl\":\"mailto:x@example.com\"}", "webhookUrl must be a valid http(s) URL"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badPatchBodies")
    void aBadPatchAnswers400AndChangesNothing(String body, String message) {
        String id = api.createGoal("{\"objective\":\"Goal that must not change\"}").path("id").asText();
        String before = api.get("/api/v1/goals/" + id).body();

        Api.Response response = api.patch("/api/v1/goals/" + id, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).startsWith(message);
        assertThat(api.get("/api/v1/goals/" + id).body()).isEqualTo(before);
    }
}
