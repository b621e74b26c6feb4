package io.skyrun.goals;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.time.Timestamps;

import java.util.Map;

/** A goal as the API shows it. */
@Serdeable.Serializable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GoalView(
        String id,
        String objective,
        Map<String, Object> params,
        String webhookUrl,
        String status,
        String createdAt,
        String updatedAt) {

    public static GoalView of(Goal goal) {
        return new GoalView(goal.id(), goal.objective(), goal.params().asMap(), goal.webhookUrl(),
                goal.status().wire(), Timestamps.format(goal.createdAt()), Timestamps.format(goal.updatedAt()));
    }
}
