package io.skyrun.webhooks;

import io.micronaut.scheduling.TaskExecutors;
import io.skyrun.goals.Goal;
import io.skyrun.json.JsonCodec;
import io.skyrun.runs.Run;
import io.skyrun.time.Timestamps;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/** Tells a goal's webhook that one of its runs ended, off the worker's thread. */
@Singleton
public class RunWebhooks {
    private static final Logger LOG = LoggerFactory.getLogger(RunWebhooks.class);

    private final WebhookSender sender;
    private final JsonCodec json;
    private final ExecutorService executor;

    public RunWebhooks(WebhookSender sender, JsonCodec json, @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.sender = sender;
        this.json = json;
        this.executor = executor;
    }

    /** Sends the event in the background; does nothing when the goal has no webhook. */
    public void runEnded(Goal goal, Run run) {
        if (goal.webhookUrl() == null) {
            return;
        }
        RunEndedEvent event = eventOf(run);
        executor.execute(() -> deliver(URI.create(goal.webhookUrl()), event));
    }

    /** Sends the event on the calling thread and says how it went. */
    public WebhookDelivery deliver(URI url, RunEndedEvent event) {
        WebhookDelivery delivery = sender.send(url, json.write(event),
                Map.of("X-Skyrun-Event", event.event(), "X-Skyrun-Run-Id", event.runId()));
        if (delivery.delivered()) {
            LOG.info("Webhook for {} delivered after {} attempt(s)", event.runId(), delivery.attempts());
        } else {
            LOG.warn("Webhook for {} not delivered after {} attempt(s): {}", event.runId(), delivery.attempts(),
                    delivery.lastError());
        }
        return delivery;
    }

    public static RunEndedEvent eventOf(Run run) {
        Object summary = run.workingMemory() == null ? null : run.workingMemory().get("summary");
        return new RunEndedEvent("run." + run.status().wire(), run.id(), run.goalId(), run.status().wire(),
                Timestamps.format(run.createdAt()), Timestamps.format(run.startedAt()), Timestamps.format(run.endedAt()),
                run.stepsExecuted(), summary == null ? null : summary.toString(), run.error());
    }
}
