package io.skyrun.runs.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.HttpApiFunction;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.testing.Api;
import io.skyrun.testing.Await;
import io.skyrun.testing.DynamoLocal;
import io.skyrun.testing.Goals;
import io.skyrun.testing.HttpApiEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The runs Lambda: API Gateway HTTP API events through its handler (HttpApiFunction), storage on DynamoDB Local. */
class RunsLambdaTest {
    static ApplicationContext context;
    static HttpApiFunction handler;

    @BeforeAll
    static void start() {
        Map<String, Object> props = new LinkedHashMap<>(DynamoLocal.properties());
        props.put("skyrun.rate-limit.per-minute", 0);
        context = ApplicationContext.builder().properties(props).environments("test").start();
        handler = new HttpApiFunction(context);
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    private static APIGatewayV2HTTPResponse call(String method, String path) {
        return handler.handleRequest(HttpApiEvents.event(method, path, null), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Api.JSON.readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(response.getBody(), e);
        }
    }

    private static Run finishedRun() {
        Goal goal = Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class),
                "{\"objective\":\"A run read through API Gateway\",\"params\":{\"allowedTools\":[\"current_time\"]}}");
        Run run = context.getBean(RunService.class).trigger("default", goal.id());
        RunRepository runs = context.getBean(RunRepository.class);
        return Await.until("the run to end", () -> runs.findById(run.id()).orElseThrow(), r -> r.status().ended());
    }

    @Test
    void aRunIsReadWithItsGoalAndSteps() {
        Run run = finishedRun();

        APIGatewayV2HTTPResponse response = call("GET", "/api/v1/runs/" + run.id());
        APIGatewayV2HTTPResponse steps = call("GET", "/api/v1/runs/" + run.id() + "/steps");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("completed");
        assertThat(json(response).path("goal").path("id").asText()).isEqualTo(run.goalId());
        assertThat(steps.getStatusCode()).isEqualTo(200);
        assertThat(json(steps)).hasSize(2);
        assertThat(json(steps).get(0).path("toolName").asText()).isEqualTo("current_time");
    }

    @Test
    void runsAreListedByGoalAndStatus() {
        Run run = finishedRun();

        JsonNode list = json(call("GET", "/api/v1/runs?goalId=" + run.goalId() + "&status=completed"));

        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("id").asText()).isEqualTo(run.id());
        assertThat(json(call("GET", "/api/v1/runs?status=pending")).findValuesAsText("id")).doesNotContain(run.id());
    }

    @Test
    void anUnknownRunAnswers404AndABadStatus400() {
        assertThat(call("GET", "/api/v1/runs/run_missing").getBody()).isEqualTo("{\"error\":\"Run not found\"}");
        assertThat(call("GET", "/api/v1/runs/run_missing").getStatusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/runs?status=done").getStatusCode()).isEqualTo(400);
    }

    @Test
    void deletingARunAnswers204AndRemovesItsSteps() {
        Run run = finishedRun();

        assertThat(call("DELETE", "/api/v1/runs/" + run.id()).getStatusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/runs/" + run.id() + "/steps").getStatusCode()).isEqualTo(404);
    }

    @Test
    void healthAnswersInTheRunsFunction() {
        assertThat(call("GET", "/health").getStatusCode()).isEqualTo(200);
    }
}
