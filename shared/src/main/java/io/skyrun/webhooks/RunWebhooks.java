package io.skyrun.webhooks;

import io.micronaut.scheduling.TaskExecutors;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRepository;
import io.skyrun.http.OutboundConfig;
import io.skyrun.ids.Ids;
import io.skyrun.json.JsonCodec;
import io.skyrun.runs.Run;
import io.skyrun.time.Timestamps;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Tells a goal's webhook that one of its runs ended: the event signed with the goal's secret, every
 * attempt kept as a delivery record. In the background, or on the calling thread where configured (Lambda).
 */
@Singleton
public class RunWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger(RunWebhooks.class);

    private final WebhookSender sender;
    private final JsonCodec json;
    private final ExecutorService executor;
    private final GoalRepository goals;
    private final DeliveryRepository deliveries;
    private final Clock clock;
    private final boolean inline;

    public RunWebhooks(WebhookSender sender, JsonCodec json, @Named(TaskExecutors.BLOCKING) ExecutorService executor,
                       GoalRepository goals, DeliveryRepository deliveries, OutboundConfig config, Clock clock) {
        this.sender = sender;
        this.json = json;
        this.executor = executor;
        this.goals = goals;
        this.deliveries = deliveries;
        this.clock = clock;
        this.inline = config.webhookInline();
    }

    /** Sends the event; does nothing when the goal has no webhook. */
    public void runEnded(Goal goal, Run run) {
        if (goal.webhookUrl() == null) {
            return;
        }
        RunEndedEvent event = eventOf(run);
        Runnable delivery = () -> {
            try {
                deliver(goal, URI.create(goal.webhookUrl()), event);
            } catch (RuntimeException e) {
                LOG.error("Webhook for {} failed unexpectedly", event.runId(), e);
            }
        };
        if (inline) {
            delivery.run();
        } else {
            executor.execute(delivery);
        }
    }

    /** Sends the event on the calling thread, signed and recorded, and says how it went. */
    public WebhookDelivery deliver(Goal goal, URI url, RunEndedEvent event) {
        String body = json.write(event);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Skyrun-Event", event.event());
        headers.put("X-Skyrun-Run-Id", event.runId());
        String secret = goals.webhookSecret(goal.ownerId(), goal.id()).orElse(null);
        if (secret != null) {
            long now = clock.instant().getEpochSecond();
            headers.put(WebhookSecrets.TIMESTAMP_HEADER, Long.toString(now));
            headers.put(WebhookSecrets.SIGNATURE_HEADER, WebhookSecrets.signature(secret, now, body));
        } else {
            LOG.warn("Goal {} has no webhook secret (created before signing existed): the event goes unsigned; "
                    + "rotate the secret to sign it", goal.id());
        }
        String target = WebhookSender.withoutQuery(url);
        WebhookDelivery delivery = sender.send(url, body, headers, attempt -> record(goal, event, target, attempt));
        if (delivery.delivered()) {
            LOG.info("Webhook for {} delivered after {} attempt(s)", event.runId(), delivery.attempts());
        } else {
            LOG.warn("Webhook for {} not delivered after {} attempt(s): {}", event.runId(), delivery.attempts(),
                    delivery.lastError());
            if (delivery.attempts() == 0) {
                // refused before any request (e.g. a private address): still on the record
                record(goal, event, target, new WebhookSender.Attempt(0, null, delivery.lastError(), 0));
            }
        }
        return delivery;
    }

    private void record(Goal goal, RunEndedEvent event, String url, WebhookSender.Attempt attempt) {
        try {
            deliveries.add(new DeliveryRecord(Ids.next("whd_"), goal.ownerId(), event.runId(), goal.id(), event.event(),
                    url, attempt.number(), attempt.status(), attempt.error(), attempt.durationMs(), clock.instant()));
        } catch (RuntimeException e) {
            // the run may have been deleted meanwhile; the delivery itself goes on
            LOG.warn("Could not record webhook attempt {} for {}: {}", attempt.number(), event.runId(), e.toString());
        }
    }

    public static RunEndedEvent eventOf(Run run) {
        Object summary = run.workingMemory() == null ? null : run.workingMemory().get("summary");
        return new RunEndedEvent("run." + run.status().wire(), run.id(), run.goalId(), run.status().wire(),
                Timestamps.format(run.createdAt()), Timestamps.format(run.startedAt()), Timestamps.format(run.endedAt()),
                run.stepsExecuted(), summary == null ? null : summary.toString(), run.error());
    }
}
