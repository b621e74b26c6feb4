package io.skyrun.runs;

import io.micronaut.serde.annotation.Serdeable;

/** The answer to {@code POST /api/v1/goals/{id}/run}. */
@Serdeable.Serializable
public record RunTriggered(String runId, String message) {
}
