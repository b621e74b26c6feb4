package io.skyrun.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.testing.Api;
import io.skyrun.testing.Await;
import io.skyrun.testing.Goals;
import io.skyrun.testing.Receiver;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Run-end webhooks delivered to a real receiver on 127.0.0.1 (private targets allowed for this test only). */
@MicronautTest(transactional = false)
@Property(name = "skyrun.outbound.allow-private", value = "true")
class RunWebhooksTest {
    @Inject
    GoalService goals;
    @Inject
    GoalRequests requests;
    @Inject
    RunService runs;
    @Inject
    RunRepository repository;

    private Goal goalWithWebhook(String url) {
        return Goals.create(goals, requests, "{\"objective\":\"Tell the time and report back\","
                + "\"params\":{\"allowedTools\":[\"current_time\"]},\"webhookUrl\":\"" + url + "\"}");
    }

    @Test
    void aCompletedRunIsPostedToTheWebhookOnce() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Goal goal = goalWithWebhook(receiver.url("/hook"));

            Run run = runs.trigger("default", goal.id());

            Await.until("the webhook", receiver::received, r -> !r.isEmpty());
            Run done = repository.findById(run.id()).orElseThrow();
            Thread.sleep(300); // room for a wrong second delivery to show up
            assertThat(receiver.received()).hasSize(1);
            Receiver.Received hook = receiver.received().get(0);
            assertThat(hook.method()).isEqualTo("POST");
            assertThat(hook.header("Content-Type")).startsWith("application/json");
            assertThat(hook.header("X-Skyrun-Event")).isEqualTo("run.completed");
            JsonNode event = Api.JSON.readTree(hook.body());
            assertThat(event.path("event").asText()).isEqualTo("run.completed");
            assertThat(event.path("runId").asText()).isEqualTo(run.id());
            assertThat(event.path("goalId").asText()).isEqualTo(goal.id());
            assertThat(event.path("status").asText()).isEqualTo("completed");
            assertThat(event.path("stepsExecuted").asInt()).isEqualTo(2);
            assertThat(event.path("output").asText()).contains("current_time");
            assertThat(event.path("endedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(event.path("error").isNull()).isTrue();
            assertThat(done.status().wire()).isEqualTo("completed");
        }
    }

    @Test
    void aWebhookAnswering500IsRetriedUntilItSucceeds() {
        try (Receiver receiver = new Receiver().answering(500, 503)) {
            Goal goal = goalWithWebhook(receiver.url("/flaky"));

            runs.trigger("default", goal.id());

            Await.until("three attempts", receiver::received, r -> r.size() >= 3);
            assertThat(receiver.received()).extracting(Receiver.Received::body).allMatch(b -> b.contains("run.completed"));
        }
    }

    @Test
    void aFailedRunIsPostedWithItsError() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Goal goal = Goals.create(goals, requests, "{\"objective\":\"Use more steps than allowed\","
                    + "\"params\":{\"stepBudget\":1,\"allowedTools\":[\"current_time\"]},"
                    + "\"webhookUrl\":\"" + receiver.url("/fail") + "\"}");

            runs.trigger("default", goal.id());

            Await.until("the webhook", receiver::received, r -> !r.isEmpty());
            JsonNode event = Api.JSON.readTree(receiver.received().get(0).body());
            assertThat(event.path("status").asText()).isEqualTo("failed");
            assertThat(event.path("error").asText()).startsWith("Step budget exhausted");
        }
    }
}
