package io.skyrun.goals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A goal's run parameters; every field may be absent.
 *
 * @param stepBudget   the most steps one run may take, or null for the configured default
 * @param allowedTools the tools a run may call, or null for every known tool
 * @param constraints  free-form constraints handed to the agent, or null
 */
public record GoalParams(Integer stepBudget, List<String> allowedTools, Map<String, Object> constraints) {
    public static final GoalParams EMPTY = new GoalParams(null, null, null);

    /** The params as a JSON object with only the fields that are set, as the API shows and storage keeps them. */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (stepBudget != null) {
            out.put("stepBudget", stepBudget);
        }
        if (allowedTools != null) {
            out.put("allowedTools", allowedTools);
        }
        if (constraints != null) {
            out.put("constraints", constraints);
        }
        return out;
    }

    /** Reads back what {@link #asMap()} wrote. */
    @SuppressWarnings("unchecked")
    public static GoalParams fromMap(Map<String, Object> map) {
        if (map == null) {
            return EMPTY;
        }
        Object budget = map.get("stepBudget");
        return new GoalParams(budget == null ? null : ((Number) budget).intValue(),
                (List<String>) map.get("allowedTools"), (Map<String, Object>) map.get("constraints"));
    }
}
