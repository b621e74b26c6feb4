package io.skyrun.runs.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A run as the {@code runs} table holds it. */
@MappedEntity("runs")
public record RunRow(
        @Id String id,
        String ownerId,
        String goalId,
        String status,
        @Nullable Long startedAt,
        @Nullable Long endedAt,
        String workingMemory,
        int stepBudget,
        int stepsExecuted,
        @Nullable String error,
        long createdAt,
        long inputTokens,
        long outputTokens) {
}
