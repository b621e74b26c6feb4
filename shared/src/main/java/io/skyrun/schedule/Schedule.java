package io.skyrun.schedule;

import java.time.Instant;

/**
 * A goal's cron schedule in its own time zone.
 *
 * @param nextFireAt when the local cron ticker fires it next; null while inactive or for adapters that keep no such time
 */
public record Schedule(
        String id,
        String ownerId,
        String goalId,
        String cronExpr,
        String timezone,
        boolean active,
        Instant createdAt,
        Instant nextFireAt) {

    public Schedule withActive(boolean value, Instant next) {
        return new Schedule(id, ownerId, goalId, cronExpr, timezone, value, createdAt, next);
    }
}
