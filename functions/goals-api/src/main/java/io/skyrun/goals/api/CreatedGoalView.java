package io.skyrun.goals.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalView;

import java.util.Map;

/**
 * The answer to creating a goal: the goal as {@link GoalView} shows it, plus its webhook signing secret,
 * which no other read shows (rotate it with {@code POST /api/v1/goals/{id}/webhook-secret}).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CreatedGoalView(
        String id,
        String objective,
        Map<String, Object> params,
        String webhookUrl,
        String status,
        String createdAt,
        String updatedAt,
        String webhookSecret) {

    public static CreatedGoalView of(Goal goal, String webhookSecret) {
        GoalView v = GoalView.of(goal);
        return new CreatedGoalView(v.id(), v.objective(), v.params(), v.webhookUrl(), v.status(), v.createdAt(),
                v.updatedAt(), webhookSecret);
    }
}
