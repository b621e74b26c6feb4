package io.skyrun.goals;

import java.time.Instant;

/** An objective an agent works towards, owned by one tenant. */
public record Goal(
        String id,
        String ownerId,
        String objective,
        GoalParams params,
        String webhookUrl,
        GoalStatus status,
        Instant createdAt,
        Instant updatedAt) {

    public Goal withStatus(GoalStatus newStatus, Instant now) {
        return new Goal(id, ownerId, objective, params, webhookUrl, newStatus, createdAt, now);
    }
}
