package io.skyrun.goals.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.HttpApiFunction;
import io.skyrun.aws.SnapStartHooks;
import io.skyrun.testing.Api;
import io.skyrun.testing.DynamoLocal;
import io.skyrun.testing.HttpApiEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The goals Lambda: API Gateway HTTP API events through the stock Micronaut proxy handler, with
 * storage on DynamoDB Local, as deployed (SKYRUN_STORAGE=dynamodb).
 */
class GoalsLambdaTest {
    static HttpApiFunction handler;

    @BeforeAll
    static void start() {
        Map<String, Object> props = new LinkedHashMap<>(DynamoLocal.properties());
        props.put("skyrun.rate-limit.per-minute", 0);
        handler = new HttpApiFunction(ApplicationContext.builder()
                .properties(props)
                .environments("test")
                .start());
    }

    @AfterAll
    static void stop() {
        handler.close();
    }

    private static APIGatewayV2HTTPResponse call(String method, String path, String body, String... headers) {
        return handler.handleRequest(HttpApiEvents.event(method, path, body, headers), null);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Api.JSON.readTree(response.getBody());
    }

    private static String header(APIGatewayV2HTTPResponse response, String name) {
        return response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    @Test
    void theGoalsLambdaRegistersTheSnapStartHooks() {
        assertThat(handler.getApplicationContext().findBean(SnapStartHooks.class)).isPresent();
    }

    @Test
    void creatingAGoalAnswers201WithTheGoalStoredInDynamoDb() throws Exception {
        APIGatewayV2HTTPResponse created = call("POST", "/api/v1/goals",
                "{\"objective\":\"Created through API Gateway\",\"schedule\":{\"cronExpr\":\"0 9 * * *\"}}");

        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(header(created, "Content-Type")).startsWith("application/json");
        String id = json(created).path("id").asText();
        assertThat(id).startsWith("goal_");
        APIGatewayV2HTTPResponse read = call("GET", "/api/v1/goals/" + id, null);
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(json(read).path("objective").asText()).isEqualTo("Created through API Gateway");
        assertThat(json(read).path("schedules").get(0).path("cronExpr").asText()).isEqualTo("0 9 * * *");
    }

    @Test
    void listingFiltersByStatusFromTheQueryString() throws Exception {
        String id = json(call("POST", "/api/v1/goals", "{\"objective\":\"Paused through API Gateway\"}")).path("id").asText();
        call("POST", "/api/v1/goals/" + id + "/pause", null);

        JsonNode paused = json(call("GET", "/api/v1/goals?status=paused", null));

        assertThat(paused.findValuesAsText("id")).contains(id);
        assertThat(json(call("GET", "/api/v1/goals?status=active", null)).findValuesAsText("id")).doesNotContain(id);
    }

    @Test
    void badInputAnswers400InTheApiErrorFormat() throws Exception {
        APIGatewayV2HTTPResponse response = call("POST", "/api/v1/goals", "{\"objective\":\"short\"}");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).isEqualTo("{\"error\":\"objective must be between 10 and 1000 characters\"}");
    }

    @Test
    void malformedJsonAnswers400() throws Exception {
        APIGatewayV2HTTPResponse response = call("POST", "/api/v1/goals", "{nope");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asText()).isEqualTo("Request body is not valid JSON");
    }

    @Test
    void anUnknownGoalAnswers404() throws Exception {
        APIGatewayV2HTTPResponse response = call("GET", "/api/v1/goals/goal_missing", null);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).isEqualTo("{\"error\":\"Goal not found\"}");
    }

    @Test
    void deletingAGoalAnswers204() {
        String id;
        try {
            id = json(call("POST", "/api/v1/goals", "{\"objective\":\"Deleted through API Gateway\"}")).path("id").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        assertThat(call("DELETE", "/api/v1/goals/" + id, null).getStatusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/goals/" + id, null).getStatusCode()).isEqualTo(404);
    }

    @Test
    void healthAnswersInTheGoalsFunction() throws Exception {
        APIGatewayV2HTTPResponse response = call("GET", "/health", null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("ok");
        assertThat(json(call("GET", "/health/ready", null)).path("status").asText()).isEqualTo("ready");
    }

    @Test
    void aCorsPreflightFromABrowserAppIsAnswered() {
        APIGatewayV2HTTPResponse response = call("OPTIONS", "/api/v1/goals", null,
                "origin", "https://app.example.com", "access-control-request-method", "POST",
                "access-control-request-headers", "content-type");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(header(response, "Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(header(response, "Access-Control-Allow-Methods")).contains("POST");
    }
}
