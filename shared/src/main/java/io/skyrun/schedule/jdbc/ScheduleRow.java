package io.skyrun.schedule.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A schedule as the {@code schedules} table holds it. */
@MappedEntity("schedules")
public record ScheduleRow(
        @Id String id,
        String ownerId,
        String goalId,
        String cronExpr,
        String timezone,
        boolean active,
        long createdAt,
        @Nullable Long nextFireAt) {
}
