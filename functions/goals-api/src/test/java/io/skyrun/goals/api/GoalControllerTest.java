package io.skyrun.goals.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalParams;
import io.skyrun.goals.GoalRepository;
import io.skyrun.goals.GoalStatus;
import io.skyrun.runs.RunRepository;
import io.skyrun.testing.Api;
import io.skyrun.testing.Await;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The goals endpoints of seed 002 over real HTTP: every route and status code. */
@MicronautTest(transactional = false)
class GoalControllerTest {
    static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    static final String FULL_GOAL = """
            {"objective": "Monitor GitHub repository for new issues and summarize them daily",
             "params": {"stepBudget": 20, "allowedTools": ["web_search", "web_scrape"], "constraints": {"maxRetries": 3}},
             "webhookUrl": "https://example.com/webhook",
             "schedule": {"cronExpr": "0 9 * * *", "timezone": "America/New_York"}}""";

    @Inject
    EmbeddedServer server;
    @Inject
    GoalRepository goalRepository;
    @Inject
    RunRepository runRepository;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(server.getURI());
    }

    private String simpleGoal(String objective) {
        return "{\"objective\":\"" + objective + "\",\"params\":{\"allowedTools\":[\"current_time\"]}}";
    }

    @Test
    void creatingAGoalAnswers201WithTheStoredGoal() {
        Api.Response response = api.post("/api/v1/goals", FULL_GOAL);

        assertThat(response.status()).isEqualTo(201);
        JsonNode goal = response.json();
        assertThat(goal.path("id").asText()).startsWith("goal_");
        assertThat(goal.path("objective").asText()).isEqualTo("Monitor GitHub repository for new issues and summarize them daily");
        assertThat(goal.path("params").toString())
                .isEqualTo("{\"stepBudget\":20,\"allowedTools\":[\"web_search\",\"web_scrape\"],\"constraints\":{\"maxRetries\":3}}");
        assertThat(goal.path("webhookUrl").asText()).isEqualTo("https://example.com/webhook");
        assertThat(goal.path("status").asText()).isEqualTo("active");
        assertThat(goal.path("createdAt").asText()).matches(TIMESTAMP);
        assertThat(goal.path("updatedAt").asText()).isEqualTo(goal.path("createdAt").asText());
        assertThat(goal.has("schedules")).isFalse();
    }

    @Test
    void aGoalWithoutOptionalFieldsShowsEmptyParamsAndANullWebhook() {
        JsonNode goal = api.createGoal("{\"objective\":\"Just an objective here\"}");

        assertThat(goal.path("params").toString()).isEqualTo("{}");
        assertThat(goal.has("webhookUrl")).isTrue();
        assertThat(goal.path("webhookUrl").isNull()).isTrue();
    }

    @Test
    void unknownFieldsAreIgnored() {
        JsonNode goal = api.createGoal("{\"objective\":\"Objective with extras\",\"colour\":\"blue\",\"params\":{\"x\":1}}");

        assertThat(goal.has("colour")).isFalse();
        assertThat(goal.path("params").toString()).isEqualTo("{}");
    }

    @Test
    void gettingAGoalShowsItsSchedules() {
        String id = api.createGoal(FULL_GOAL).path("id").asText();

        Api.Response response = api.get("/api/v1/goals/" + id);

        assertThat(response.status()).isEqualTo(200);
        JsonNode schedule = response.json().path("schedules").get(0);
        assertThat(schedule.path("id").asText()).startsWith("sched_");
        assertThat(schedule.path("goalId").asText()).isEqualTo(id);
        assertThat(schedule.path("cronExpr").asText()).isEqualTo("0 9 * * *");
        assertThat(schedule.path("timezone").asText()).isEqualTo("America/New_York");
        assertThat(schedule.path("active").asBoolean()).isTrue();
        assertThat(schedule.path("createdAt").asText()).matches(TIMESTAMP);
    }

    @Test
    void aScheduleWithoutTimezoneIsInUtc() {
        String id = api.createGoal("{\"objective\":\"Every fifteen minutes\",\"schedule\":{\"cronExpr\":\"*/15 * * * *\"}}")
                .path("id").asText();

        JsonNode goal = api.get("/api/v1/goals/" + id).json();

        assertThat(goal.path("schedules").get(0).path("timezone").asText()).isEqualTo("UTC");
    }

    @Test
    void aGoalWithoutScheduleHasAnEmptyScheduleList() {
        String id = api.createGoal(simpleGoal("No schedule at all")).path("id").asText();

        assertThat(api.get("/api/v1/goals/" + id).json().path("schedules").isArray()).isTrue();
        assertThat(api.get("/api/v1/goals/" + id).json().path("schedules")).isEmpty();
    }

    @Test
    void anUnknownGoalAnswers404() {
        Api.Response response = api.get("/api/v1/goals/goal_nope");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"Goal not found\"}");
    }

    @Test
    void listingGoalsShowsNewestFirstAndFiltersByStatus() {
        String older = api.createGoal(simpleGoal("List test goal older")).path("id").asText();
        String newer = api.createGoal(simpleGoal("List test goal newer")).path("id").asText();
        api.post("/api/v1/goals/" + older + "/pause", null);

        List<String> all = ids(api.get("/api/v1/goals").json());
        List<String> paused = ids(api.get("/api/v1/goals?status=paused").json());
        List<String> active = ids(api.get("/api/v1/goals?status=active").json());

        assertThat(all.indexOf(newer)).isLessThan(all.indexOf(older));
        assertThat(paused).contains(older).doesNotContain(newer);
        assertThat(active).contains(newer).doesNotContain(older);
        assertThat(api.get("/api/v1/goals").json().get(0).has("schedules")).isFalse();
    }

    @Test
    void listingGoalsPagesByLimitAndCursorKeepingTheFilter() {
        List<String> made = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(0, api.createGoal(simpleGoal("Paging test goal " + i)).path("id").asText());
        }
        api.post("/api/v1/goals/" + made.get(1) + "/pause", null);

        Api.Response first = api.get("/api/v1/goals?limit=2");
        List<String> everything = ids(api.get("/api/v1/goals?limit=100").json());
        List<String> walked = api.walk("/api/v1/goals?limit=2").stream().map(g -> g.path("id").asText()).toList();
        List<String> activeWalked = api.walk("/api/v1/goals?status=active&limit=1").stream()
                .map(g -> g.path("id").asText()).toList();

        assertThat(first.json()).hasSize(2);
        assertThat(ids(first.json())).containsExactly(made.get(0), made.get(1));
        assertThat(first.header("X-Next-Cursor")).matches("[A-Za-z0-9_-]+");
        assertThat(first.header("Link")).startsWith("</api/v1/goals?limit=2&cursor=").endsWith(">; rel=\"next\"");
        assertThat(walked).isEqualTo(everything).doesNotHaveDuplicates().containsSubsequence(made);
        assertThat(activeWalked).isEqualTo(ids(api.get("/api/v1/goals?status=active&limit=100").json()))
                .doesNotContain(made.get(1)).contains(made.get(0), made.get(2));
        assertThat(api.get("/api/v1/goals?limit=100").header("X-Next-Cursor")).isNull();
    }

    @Test
    void malformedPagingParametersAnswer400() {
        for (String limit : List.of("0", "101", "-1", "ten", "1.5", "")) {
            Api.Response response = api.get("/api/v1/goals?limit=" + limit);
            assertThat(response.status()).as("limit=%s", limit).isEqualTo(400);
            assertThat(response.error()).isEqualTo("limit must be an integer from 1 to 100");
        }
        for (String cursor : List.of("garbage!", "bm90LWEtY3Vyc29y", "MTIzOmJhZCBpZA", "a".repeat(300))) {
            Api.Response response = api.get("/api/v1/goals?cursor=" + cursor);
            assertThat(response.status()).as("cursor=%s", cursor).isEqualTo(400);
            assertThat(response.error()).startsWith("cursor is not valid");
        }
    }

    @Test
    void aBrowserMayReadThePagingHeaders() {
        Api.Response response = api.send("GET", "/api/v1/goals?limit=1", null, null, "Origin", "http://localhost:5173");

        String exposed = response.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Access-Control-Expose-Headers"))
                .flatMap(e -> e.getValue().stream()).collect(java.util.stream.Collectors.joining(","));
        assertThat(exposed).contains("X-Next-Cursor").contains("Link").contains("Retry-After");
    }

    @Test
    void theWebhookSecretIsShownOnCreateAndOnRotationOnly() {
        JsonNode created = api.createGoal("{\"objective\":\"Goal with a signing secret\",\"webhookUrl\":\"https://example.com/h\"}");
        String id = created.path("id").asText();

        Api.Response rotated = api.post("/api/v1/goals/" + id + "/webhook-secret", null);

        assertThat(created.path("webhookSecret").asText()).matches("whsec_[A-Za-z0-9_-]{43}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().path("webhookSecret").asText()).matches("whsec_[A-Za-z0-9_-]{43}")
                .isNotEqualTo(created.path("webhookSecret").asText());
        assertThat(api.get("/api/v1/goals/" + id).body()).doesNotContain("whsec_");
        assertThat(api.get("/api/v1/goals").body()).doesNotContain("whsec_");
        assertThat(api.post("/api/v1/goals/goal_unknown/webhook-secret", null).status()).isEqualTo(404);
    }

    @Test
    void listingWithAnUnknownStatusAnswers400() {
        Api.Response response = api.get("/api/v1/goals?status=done");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("status must be one of: active, paused, archived");
    }

    @Test
    void patchingChangesOnlyTheGivenFieldsAndReplacesParams() {
        JsonNode created = api.createGoal(FULL_GOAL);
        String id = created.path("id").asText();

        Api.Response response = api.patch("/api/v1/goals/" + id,
                "{\"objective\":\"Updated objective text\",\"params\":{\"stepBudget\":30},\"status\":\"paused\"}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode goal = response.json();
        assertThat(goal.path("objective").asText()).isEqualTo("Updated objective text");
        assertThat(goal.path("params").toString()).isEqualTo("{\"stepBudget\":30}");
        assertThat(goal.path("status").asText()).isEqualTo("paused");
        assertThat(goal.path("webhookUrl").asText()).isEqualTo("https://example.com/webhook");
        assertThat(goal.path("createdAt").asText()).isEqualTo(created.path("createdAt").asText());
        assertThat(goal.path("updatedAt").asText()).isGreaterThanOrEqualTo(created.path("updatedAt").asText());
        assertThat(api.get("/api/v1/goals/" + id).json().path("schedules").get(0).path("active").asBoolean()).isFalse();
    }

    @Test
    void patchingWebhookUrlWithNullClearsIt() {
        String id = api.createGoal(FULL_GOAL).path("id").asText();

        JsonNode goal = api.patch("/api/v1/goals/" + id, "{\"webhookUrl\":null}").json();

        assertThat(goal.path("webhookUrl").isNull()).isTrue();
        assertThat(api.get("/api/v1/goals/" + id).json().path("webhookUrl").isNull()).isTrue();
    }

    @Test
    void anEmptyPatchChangesNothing() {
        JsonNode created = api.createGoal(FULL_GOAL);

        JsonNode goal = api.patch("/api/v1/goals/" + created.path("id").asText(), "{}").json();

        // the same goal, less the signing secret that only the create answer shows
        assertThat(goal).isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) created.deepCopy()).without("webhookSecret"));
    }

    @Test
    void patchingAnUnknownGoalAnswers404() {
        Api.Response response = api.patch("/api/v1/goals/goal_nope", "{\"status\":\"paused\"}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.error()).isEqualTo("Goal not found");
    }

    @Test
    void deletingAGoalAnswers204AndRemovesItsRunsAndSteps() {
        String id = api.createGoal(simpleGoal("Goal to be deleted")).path("id").asText();
        String runId = api.post("/api/v1/goals/" + id + "/run", null).json().path("runId").asText();
        Await.until("the run to end", () -> runRepository.findById(runId).orElseThrow().status().ended(), b -> b);

        Api.Response response = api.delete("/api/v1/goals/" + id);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(api.get("/api/v1/goals/" + id).status()).isEqualTo(404);
        assertThat(runRepository.findById(runId)).isEmpty();
        assertThat(runRepository.steps("default", runId)).isEmpty();
        assertThat(api.delete("/api/v1/goals/" + id).status()).isEqualTo(404);
    }

    @Test
    void triggeringARunAcceptsAnEmptyBodyWithoutContentType() {
        String id = api.createGoal(simpleGoal("Trigger with empty body")).path("id").asText();

        Api.Response response = api.send("POST", "/api/v1/goals/" + id + "/run", null, null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("runId").asText()).startsWith("run_");
        assertThat(response.json().path("message").asText()).isEqualTo("Run triggered");
    }

    @Test
    void triggeringARunAcceptsAnEmptyJsonObject() {
        String id = api.createGoal(simpleGoal("Trigger with empty JSON")).path("id").asText();

        Api.Response response = api.post("/api/v1/goals/" + id + "/run", "{}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("message").asText()).isEqualTo("Run triggered");
    }

    @Test
    void triggeringARunWithJsonContentTypeButNoBodyWorks() {
        String id = api.createGoal(simpleGoal("Trigger with JSON type, no body")).path("id").asText();

        Api.Response response = api.send("POST", "/api/v1/goals/" + id + "/run", null, "application/json");

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void aTriggeredRunCompletesInTheBackground() {
        String id = api.createGoal(simpleGoal("Run to completion")).path("id").asText();

        String runId = api.post("/api/v1/goals/" + id + "/run", "{}").json().path("runId").asText();

        assertThat(Await.until("completion", () -> runRepository.findById(runId).orElseThrow().status().wire(),
                s -> s.equals("completed") || s.equals("failed"))).isEqualTo("completed");
    }

    @Test
    void triggeringAPausedGoalAnswers400GoalIsPaused() {
        String id = api.createGoal(simpleGoal("Paused goal cannot run")).path("id").asText();
        assertThat(api.post("/api/v1/goals/" + id + "/pause", null).json().path("message").asText()).isEqualTo("Goal paused");

        Api.Response response = api.post("/api/v1/goals/" + id + "/run", null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"Goal is paused\"}");
    }

    @Test
    void triggeringAnArchivedGoalAnswers400() {
        String id = api.createGoal(simpleGoal("Archived goal cannot run")).path("id").asText();
        api.patch("/api/v1/goals/" + id, "{\"status\":\"archived\"}");

        Api.Response response = api.post("/api/v1/goals/" + id + "/run", null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("Goal is archived");
    }

    @Test
    void pauseAndResumeAnswerWithTheirMessagesAndChangeTheStatus() {
        String id = api.createGoal(FULL_GOAL).path("id").asText();

        Api.Response paused = api.post("/api/v1/goals/" + id + "/pause", "{}");
        String statusWhilePaused = api.get("/api/v1/goals/" + id).json().path("status").asText();
        Api.Response resumed = api.send("POST", "/api/v1/goals/" + id + "/resume", null, null);

        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.body()).isEqualTo("{\"message\":\"Goal paused\"}");
        assertThat(statusWhilePaused).isEqualTo("paused");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.body()).isEqualTo("{\"message\":\"Goal resumed\"}");
        JsonNode goal = api.get("/api/v1/goals/" + id).json();
        assertThat(goal.path("status").asText()).isEqualTo("active");
        assertThat(goal.path("schedules").get(0).path("active").asBoolean()).isTrue();
    }

    @Test
    void runPauseAndResumeOfAnUnknownGoalAnswer404() {
        for (String action : List.of("run", "pause", "resume")) {
            Api.Response response = api.post("/api/v1/goals/goal_nope/" + action, null);
            assertThat(response.status()).as(action).isEqualTo(404);
            assertThat(response.error()).as(action).isEqualTo("Goal not found");
        }
    }

    @Test
    void anotherOwnersGoalIsInvisible() {
        Instant now = Instant.now();
        Goal foreign = new Goal("goal_foreign" + System.nanoTime(), "someone-else", "Another owner's goal",
                GoalParams.EMPTY, null, GoalStatus.ACTIVE, now, now);
        goalRepository.create(foreign);

        assertThat(api.get("/api/v1/goals/" + foreign.id()).status()).isEqualTo(404);
        assertThat(ids(api.get("/api/v1/goals").json())).doesNotContain(foreign.id());
        assertThat(api.patch("/api/v1/goals/" + foreign.id(), "{\"status\":\"paused\"}").status()).isEqualTo(404);
        assertThat(api.post("/api/v1/goals/" + foreign.id() + "/run", null).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/goals/" + foreign.id()).status()).isEqualTo(404);
        assertThat(goalRepository.find("someone-else", foreign.id())).isPresent();
    }

    @Test
    void aWrongMethodAnswers405InTheApiErrorFormat() {
        Api.Response response = api.send("PUT", "/api/v1/goals", "{}", "application/json");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.error()).isNotBlank();
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("id").asText()));
        return out;
    }
}
