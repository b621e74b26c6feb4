package io.skyrun.goals;

import io.skyrun.outputs.OutputSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A goal's run parameters; every field may be absent.
 *
 * @param stepBudget   the most steps one run may take, or null for the configured default
 * @param allowedTools the tools a run may call, or null for every known tool
 * @param constraints  free-form constraints handed to the agent, or null
 * @param outputs      what a run produces at its end besides the stored summary, or null for the default
 *                     (the summary, and the webhook when the goal has a webhookUrl)
 */
public record GoalParams(Integer stepBudget, List<String> allowedTools, Map<String, Object> constraints,
                         List<OutputSpec> outputs) {
    public static final GoalParams EMPTY = new GoalParams(null, null, null, null);

    public GoalParams(Integer stepBudget, List<String> allowedTools, Map<String, Object> constraints) {
        this(stepBudget, allowedTools, constraints, null);
    }

    /** Whether a run of the goal produces outputs at its end. */
    public boolean hasOutputs() {
        return outputs != null && !outputs.isEmpty();
    }

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
        if (outputs != null) {
            out.put("outputs", outputs.stream().map(OutputSpec::asMap).toList());
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
        List<Map<String, Object>> outputs = (List<Map<String, Object>>) map.get("outputs");
        return new GoalParams(budget == null ? null : ((Number) budget).intValue(),
                (List<String>) map.get("allowedTools"), (Map<String, Object>) map.get("constraints"),
                outputs == null ? null : outputs.stream().map(OutputSpec::fromMap).toList());
    }
}
