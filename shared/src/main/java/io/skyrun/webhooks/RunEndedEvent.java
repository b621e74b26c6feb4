package io.skyrun.webhooks;

import io.micronaut.serde.annotation.Serdeable;

/** The JSON body POSTed to a goal's webhook when one of its runs completes or fails. */
@Serdeable.Serializable
public record RunEndedEvent(
        String event,
        String runId,
        String goalId,
        String status,
        String createdAt,
        String startedAt,
        String endedAt,
        int stepsExecuted,
        String output,
        String error) {
}
