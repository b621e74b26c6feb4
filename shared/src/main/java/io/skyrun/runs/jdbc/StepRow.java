package io.skyrun.runs.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A step as the {@code steps} table holds it. */
@MappedEntity("steps")
public record StepRow(
        @Id String id,
        String ownerId,
        String runId,
        int stepNo,
        String thought,
        @Nullable String toolName,
        @Nullable String toolInput,
        @Nullable String observation,
        long durationMs,
        @Nullable String error,
        long createdAt,
        @Nullable Long inputTokens,
        @Nullable Long outputTokens) {
}
