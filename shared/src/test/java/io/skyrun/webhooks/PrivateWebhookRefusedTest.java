package io.skyrun.webhooks;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunStatus;
import io.skyrun.testing.Receiver;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With the default configuration, webhooks to loopback and private addresses are refused before any request. */
@MicronautTest(transactional = false)
class PrivateWebhookRefusedTest {
    @Inject
    RunWebhooks webhooks;
    @Inject
    io.skyrun.goals.GoalService goals;
    @Inject
    io.skyrun.goals.GoalRequests requests;
    @Inject
    io.skyrun.runs.RunRepository runs;
    @Inject
    DeliveryRepository deliveries;

    @Test
    void aWebhookToLoopbackIsRefusedByDefaultAndNothingIsSent() {
        try (Receiver receiver = new Receiver()) {
            io.skyrun.goals.Goal goal = io.skyrun.testing.Goals.create(goals, requests,
                    "{\"objective\":\"Webhook to loopback\",\"webhookUrl\":\"" + receiver.url("/hook?token=abc") + "\"}");
            Run run = new Run(io.skyrun.ids.Ids.run(), "default", goal.id(), RunStatus.COMPLETED, Instant.now(),
                    Instant.now(), Map.of("summary", "done"), 5, 2, null, Instant.now());
            runs.create(run);

            WebhookDelivery delivery = webhooks.deliver(goal, URI.create(goal.webhookUrl()), RunWebhooks.eventOf(run));

            assertThat(delivery.delivered()).isFalse();
            assertThat(delivery.attempts()).isZero();
            assertThat(delivery.lastError()).contains("127.0.0.1").contains("SKYRUN_OUTBOUND_ALLOW_PRIVATE");
            assertThat(receiver.received()).isEmpty();
            assertThat(deliveries.list("default", run.id())).singleElement().satisfies(r -> {
                assertThat(r.attempt()).isZero();
                assertThat(r.statusCode()).isNull();
                assertThat(r.error()).contains("SKYRUN_OUTBOUND_ALLOW_PRIVATE");
                assertThat(r.url()).isEqualTo(receiver.url("/hook")).doesNotContain("token");
            });
        }
    }
}
