package io.skyrun.goals.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalView;

/**
 * The answer to creating a goal: the goal as {@link GoalView} shows it, plus its webhook signing secret,
 * which no other read shows (rotate it with {@code POST /api/v1/goals/{id}/webhook-secret}).
 */
@Serdeable.Serializable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CreatedGoalView(@JsonUnwrapped GoalView goal, String webhookSecret) {

    public static CreatedGoalView of(Goal goal, String webhookSecret) {
        return new CreatedGoalView(GoalView.of(goal), webhookSecret);
    }
}
