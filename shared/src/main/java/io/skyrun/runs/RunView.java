package io.skyrun.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalView;
import io.skyrun.time.Timestamps;

import java.util.Map;

/**
 * A run with its goal embedded, as the runs endpoints show it.
 *
 * @param usage model tokens all its steps consumed so far (zero with the offline model)
 */
@Serdeable.Serializable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunView(
        String id,
        String goalId,
        String status,
        String startedAt,
        String endedAt,
        Map<String, Object> workingMemory,
        int stepBudget,
        int stepsExecuted,
        String error,
        String createdAt,
        UsageView usage,
        GoalView goal) {

    public static RunView of(Run r, Goal goal) {
        return new RunView(r.id(), r.goalId(), r.status().wire(), Timestamps.format(r.startedAt()),
                Timestamps.format(r.endedAt()), r.workingMemory(), r.stepBudget(), r.stepsExecuted(), r.error(),
                Timestamps.format(r.createdAt()), UsageView.of(r.usage()), goal == null ? null : GoalView.of(goal));
    }
}
