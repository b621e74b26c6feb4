package io.skyrun.goals;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.time.Timestamps;

import java.util.LinkedHashMap;
import java.util.Map;

/** A goal as the API shows it. */
@Serdeable
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
        return new GoalView(goal.id(), goal.objective(), paramsOf(goal.params()), goal.webhookUrl(),
                goal.status().wire(), Timestamps.format(goal.createdAt()), Timestamps.format(goal.updatedAt()));
    }

    /** The params object with only the fields that are set, as the seed's examples show it. */
    public static Map<String, Object> paramsOf(GoalParams p) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (p.stepBudget() != null) {
            out.put("stepBudget", p.stepBudget());
        }
        if (p.allowedTools() != null) {
            out.put("allowedTools", p.allowedTools());
        }
        if (p.constraints() != null) {
            out.put("constraints", p.constraints());
        }
        return out;
    }
}
