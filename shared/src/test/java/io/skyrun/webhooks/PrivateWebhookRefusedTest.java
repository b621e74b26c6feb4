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

    @Test
    void aWebhookToLoopbackIsRefusedByDefaultAndNothingIsSent() {
        try (Receiver receiver = new Receiver()) {
            Run run = new Run("run_x", "default", "goal_x", RunStatus.COMPLETED, Instant.now(), Instant.now(),
                    Map.of("summary", "done"), 5, 2, null, Instant.now());

            WebhookDelivery delivery = webhooks.deliver(URI.create(receiver.url("/hook")), RunWebhooks.eventOf(run));

            assertThat(delivery.delivered()).isFalse();
            assertThat(delivery.attempts()).isZero();
            assertThat(delivery.lastError()).contains("127.0.0.1").contains("SKYRUN_OUTBOUND_ALLOW_PRIVATE");
            assertThat(receiver.received()).isEmpty();
        }
    }
}
