package io.skyrun.runs.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.testing.Api;
import io.skyrun.testing.Await;
import io.skyrun.testing.Goals;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The runs endpoints of seed 002 over real HTTP. */
@MicronautTest(transactional = false)
class RunControllerTest {
    static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    @Inject
    EmbeddedServer server;
    @Inject
    GoalService goals;
    @Inject
    GoalRequests requests;
    @Inject
    RunService runs;
    @Inject
    RunRepository repository;
    @Inject
    io.skyrun.webhooks.DeliveryRepository deliveries;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(server.getURI());
    }

    private Goal goal(String objective) {
        return Goals.create(goals, requests, "{\"objective\":\"" + objective + "\",\"params\":{\"stepBudget\":7,"
                + "\"allowedTools\":[\"current_time\"]}}");
    }

    private Run finishedRun(Goal goal) {
        Run run = runs.trigger("default", goal.id());
        return Await.until("run " + run.id() + " to end", () -> repository.findById(run.id()).orElseThrow(),
                r -> r.status().ended());
    }

    @Test
    void gettingARunShowsItWithItsGoal() {
        Goal goal = goal("Run detail test goal");
        Run run = finishedRun(goal);

        Api.Response response = api.get("/api/v1/runs/" + run.id());

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("id").asText()).isEqualTo(run.id()).startsWith("run_");
        assertThat(body.path("goalId").asText()).isEqualTo(goal.id());
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("startedAt").asText()).matches(TIMESTAMP);
        assertThat(body.path("endedAt").asText()).matches(TIMESTAMP);
        assertThat(body.path("workingMemory").path("summary").asText()).contains("current_time");
        assertThat(body.path("stepBudget").asInt()).isEqualTo(7);
        assertThat(body.path("stepsExecuted").asInt()).isEqualTo(2);
        assertThat(body.has("error")).isTrue();
        assertThat(body.path("error").isNull()).isTrue();
        assertThat(body.path("createdAt").asText()).matches(TIMESTAMP);
        assertThat(body.path("goal").path("id").asText()).isEqualTo(goal.id());
        assertThat(body.path("goal").path("objective").asText()).isEqualTo("Run detail test goal");
        assertThat(body.path("goal").path("params").path("stepBudget").asInt()).isEqualTo(7);
    }

    @Test
    void aPendingRunShowsNullTimes() {
        Goal goal = goal("Pending run shape");
        String id = "run_pending" + System.nanoTime();
        repository.create(new Run(id, "default", goal.id(), RunStatus.PENDING, null, null, new LinkedHashMap<>(), 5, 0,
                null, Instant.now()));

        JsonNode body = api.get("/api/v1/runs/" + id).json();

        assertThat(body.path("status").asText()).isEqualTo("pending");
        assertThat(body.path("startedAt").isNull()).isTrue();
        assertThat(body.path("endedAt").isNull()).isTrue();
        assertThat(body.path("workingMemory").isObject()).isTrue();
        assertThat(body.path("stepsExecuted").asInt()).isZero();
    }

    @Test
    void anUnknownRunAnswers404() {
        for (String path : List.of("/api/v1/runs/run_nope", "/api/v1/runs/run_nope/steps")) {
            Api.Response response = api.get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).isEqualTo("{\"error\":\"Run not found\"}");
        }
        assertThat(api.delete("/api/v1/runs/run_nope").status()).isEqualTo(404);
    }

    @Test
    void stepsAreListedInOrderWithEveryField() {
        Run run = finishedRun(goal("Steps listing test goal"));

        Api.Response response = api.get("/api/v1/runs/" + run.id() + "/steps");

        assertThat(response.status()).isEqualTo(200);
        JsonNode steps = response.json();
        assertThat(steps).hasSize(2);
        JsonNode first = steps.get(0);
        assertThat(first.path("id").asText()).startsWith("step_");
        assertThat(first.path("runId").asText()).isEqualTo(run.id());
        assertThat(first.path("stepNo").asInt()).isEqualTo(1);
        assertThat(first.path("thought").asText()).contains("current_time");
        assertThat(first.path("toolName").asText()).isEqualTo("current_time");
        assertThat(first.path("toolInput").path("timezone").asText()).isEqualTo("UTC");
        assertThat(first.path("observation").asText()).contains("UTC");
        assertThat(first.path("durationMs").isIntegralNumber()).isTrue();
        assertThat(first.path("error").isNull()).isTrue();
        assertThat(first.path("createdAt").asText()).matches(TIMESTAMP);
        JsonNode last = steps.get(1);
        assertThat(last.path("stepNo").asInt()).isEqualTo(2);
        assertThat(last.path("toolName").isNull()).isTrue();
        assertThat(last.path("toolInput").isNull()).isTrue();
    }

    @Test
    void listingShowsNewestFirst50PerPageEachWithItsGoalAndPagesOnByCursor() {
        Goal goal = goal("Many runs for the list");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 53; i++) {
            String id = String.format("run_list%s%03d", Long.toString(System.nanoTime(), 36), i);
            repository.create(new Run(id, "default", goal.id(), RunStatus.COMPLETED, null, null, new LinkedHashMap<>(),
                    5, 0, null, Instant.ofEpochMilli(1_700_000_000_000L + i * 1000L)));
            created.add(id);
        }

        Api.Response first = api.get("/api/v1/runs?goalId=" + goal.id());
        Api.Response second = api.get("/api/v1/runs?goalId=" + goal.id() + "&cursor=" + first.header("X-Next-Cursor"));
        List<String> walked = api.walk("/api/v1/runs?goalId=" + goal.id() + "&status=completed&limit=7").stream()
                .map(r -> r.path("id").asText()).toList();

        JsonNode list = first.json();
        assertThat(list).hasSize(50);
        assertThat(list.get(0).path("id").asText()).isEqualTo(created.get(52));
        assertThat(list.get(49).path("id").asText()).isEqualTo(created.get(3));
        list.forEach(run -> assertThat(run.path("goal").path("id").asText()).isEqualTo(goal.id()));
        assertThat(ids(second.json())).containsExactly(created.get(2), created.get(1), created.get(0));
        assertThat(second.header("X-Next-Cursor")).isNull();
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(walked).isEqualTo(newestFirst);
    }

    @Test
    void webhookDeliveriesAreListedPerRun() {
        Goal goal = goal("Run without a webhook");
        Run run = finishedRun(goal);
        deliveries.add(new io.skyrun.webhooks.DeliveryRecord("whd_test" + System.nanoTime(), "default", run.id(),
                goal.id(), "run.completed", "https://example.com/h", 1, 502, "HTTP 502", 12, Instant.now()));

        Api.Response response = api.get("/api/v1/runs/" + run.id() + "/webhook-deliveries");

        assertThat(response.status()).isEqualTo(200);
        JsonNode first = response.json().get(0);
        assertThat(first.path("attempt").asInt()).isEqualTo(1);
        assertThat(first.path("statusCode").asInt()).isEqualTo(502);
        assertThat(first.path("error").asText()).isEqualTo("HTTP 502");
        assertThat(first.path("delivered").asBoolean()).isFalse();
        assertThat(first.path("url").asText()).isEqualTo("https://example.com/h");
        assertThat(api.get("/api/v1/runs/run_unknown/webhook-deliveries").status()).isEqualTo(404);
    }

    @Test
    void aFileOutputIsListedAndDownloadableAndGoesWithTheRun() {
        Goal goal = Goals.create(goals, requests, "{\"objective\":\"Write the time into a file\","
                + "\"params\":{\"allowedTools\":[\"current_time\"],\"outputs\":[{\"kind\":\"file\",\"name\":\"time.txt\"}]}}");
        Run run = finishedRun(goal);

        JsonNode list = api.get("/api/v1/runs/" + run.id() + "/files").json();
        Api.Response download = api.get("/api/v1/runs/" + run.id() + "/files/time.txt");

        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("name").asText()).isEqualTo("time.txt");
        assertThat(list.get(0).path("contentType").asText()).isEqualTo("text/plain; charset=utf-8");
        assertThat(list.get(0).path("path").asText()).isEqualTo("/api/v1/runs/" + run.id() + "/files/time.txt");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Type")).startsWith("text/plain");
        assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename=\"time.txt\"");
        assertThat(download.body()).isEqualTo(run.workingMemory().get("summary"));
        assertThat(api.get("/api/v1/runs/" + run.id() + "/files/other.txt").error()).isEqualTo("File not found");
        assertThat(api.get("/api/v1/runs/" + run.id() + "/files/..%2F..%2Fetc").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs/run_unknown/files").status()).isEqualTo(404);

        assertThat(api.delete("/api/v1/runs/" + run.id()).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/files/time.txt").status()).isEqualTo(404);
    }

    @Test
    void malformedPagingParametersAnswer400() {
        assertThat(api.get("/api/v1/runs?limit=500").error()).isEqualTo("limit must be an integer from 1 to 100");
        assertThat(api.get("/api/v1/runs?limit=500").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/runs?cursor=%25%25").status()).isEqualTo(400);
    }

    @Test
    void listingFiltersByGoalAndStatus() {
        Goal a = goal("Filter goal number one");
        Goal b = goal("Filter goal number two");
        Run doneA = finishedRun(a);
        Run doneB = finishedRun(b);
        String pendingA = "run_pendingA" + System.nanoTime();
        repository.create(new Run(pendingA, "default", a.id(), RunStatus.PENDING, null, null, new LinkedHashMap<>(), 5,
                0, null, Instant.now().plusSeconds(3600)));

        List<String> ofA = ids(api.get("/api/v1/runs?goalId=" + a.id()).json());
        List<String> completedOfA = ids(api.get("/api/v1/runs?goalId=" + a.id() + "&status=completed").json());
        List<String> pending = ids(api.get("/api/v1/runs?status=pending").json());
        List<String> all = ids(api.get("/api/v1/runs").json());

        assertThat(ofA).containsExactly(pendingA, doneA.id());
        assertThat(completedOfA).containsExactly(doneA.id());
        assertThat(pending).contains(pendingA).doesNotContain(doneA.id(), doneB.id());
        assertThat(all).contains(doneB.id());
        assertThat(api.get("/api/v1/runs?goalId=goal_unknown").json()).isEmpty();
    }

    @Test
    void listingWithAnUnknownStatusAnswers400() {
        Api.Response response = api.get("/api/v1/runs?status=finished");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("status must be one of: pending, running, completed, failed");
    }

    @Test
    void deletingARunAnswers204AndRemovesItsSteps() {
        Run run = finishedRun(goal("Run to be deleted"));

        Api.Response response = api.delete("/api/v1/runs/" + run.id());

        assertThat(response.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/runs/" + run.id()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs/" + run.id() + "/steps").status()).isEqualTo(404);
        assertThat(repository.steps("default", run.id())).isEmpty();
    }

    @Test
    void anotherOwnersRunIsInvisible() {
        Goal goal = goal("Owner isolation for runs");
        String foreign = "run_foreign" + System.nanoTime();
        repository.create(new Run(foreign, "someone-else", goal.id(), RunStatus.COMPLETED, null, null,
                new LinkedHashMap<>(), 5, 0, null, Instant.now()));

        assertThat(api.get("/api/v1/runs/" + foreign).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs/" + foreign + "/steps").status()).isEqualTo(404);
        assertThat(ids(api.get("/api/v1/runs").json())).doesNotContain(foreign);
        assertThat(api.delete("/api/v1/runs/" + foreign).status()).isEqualTo(404);
        assertThat(repository.findById(foreign)).isPresent();
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("id").asText()));
        return out;
    }
}
