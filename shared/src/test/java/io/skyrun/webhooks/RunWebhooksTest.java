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
    @Inject
    DeliveryRepository deliveries;

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
            // signed with the goal's secret over the exact body, with a current timestamp
            String secret = goals.webhookSecret("default", goal.id());
            assertThat(secret).startsWith("whsec_");
            long now = java.time.Instant.now().getEpochSecond();
            String signature = hook.header(WebhookSecrets.SIGNATURE_HEADER);
            assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
            assertThat(signature).startsWith("t=" + hook.header(WebhookSecrets.TIMESTAMP_HEADER) + ",");
            assertThat(WebhookSecrets.verify(secret, signature, hook.body(), now, 300)).isTrue();
            assertThat(WebhookSecrets.verify(secret, signature, hook.body() + " ", now, 300)).isFalse();
            assertThat(WebhookSecrets.verify(WebhookSecrets.newSecret(), signature, hook.body(), now, 300)).isFalse();
            assertThat(WebhookSecrets.verify(secret, signature, hook.body(), now + 3600, 300)).isFalse();
            assertThat(deliveries.list("default", run.id())).singleElement().satisfies(r -> {
                assertThat(r.attempt()).isEqualTo(1);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.error()).isNull();
                assertThat(r.event()).isEqualTo("run.completed");
            });
        }
    }

    @Test
    void aRotatedSecretSignsTheNextEventAndTheOldOneNoLongerVerifies() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Goal goal = goalWithWebhook(receiver.url("/rotated"));
            String old = goals.webhookSecret("default", goal.id());
            String rotated = goals.rotateWebhookSecret("default", goal.id());

            runs.trigger("default", goal.id());

            Await.until("the webhook", receiver::received, r -> !r.isEmpty());
            Receiver.Received hook = receiver.received().get(0);
            long now = java.time.Instant.now().getEpochSecond();
            assertThat(rotated).isNotEqualTo(old);
            assertThat(goals.webhookSecret("default", goal.id())).isEqualTo(rotated);
            assertThat(WebhookSecrets.verify(rotated, hook.header(WebhookSecrets.SIGNATURE_HEADER), hook.body(), now, 300))
                    .isTrue();
            assertThat(WebhookSecrets.verify(old, hook.header(WebhookSecrets.SIGNATURE_HEADER), hook.body(), now, 300))
                    .isFalse();
        }
    }

    @Test
    void aWebhookAnswering500IsRetriedUntilItSucceeds() {
        try (Receiver receiver = new Receiver().answering(500, 503)) {
            Goal goal = goalWithWebhook(receiver.url("/flaky"));

            Run run = runs.trigger("default", goal.id());

            Await.until("three attempts", receiver::received, r -> r.size() >= 3);
            assertThat(receiver.received()).extracting(Receiver.Received::body).allMatch(b -> b.contains("run.completed"));
            // every attempt is on the record, the last one delivered
            var records = Await.until("three delivery records", () -> deliveries.list("default", run.id()),
                    r -> r.size() >= 3);
            assertThat(records).extracting(DeliveryRecord::attempt).containsExactly(1, 2, 3);
            assertThat(records).extracting(DeliveryRecord::statusCode).containsExactly(500, 503, 200);
            assertThat(records).extracting(DeliveryRecord::error).containsExactly("HTTP 500", "HTTP 503", null);
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
