package io.skyrun.goals.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A goal as the {@code goals} table holds it. */
@MappedEntity("goals")
public record GoalRow(
        @Id String id,
        String ownerId,
        String objective,
        String params,
        @Nullable String webhookUrl,
        String status,
        long createdAt,
        long updatedAt,
        @Nullable String webhookSecret) {
}
