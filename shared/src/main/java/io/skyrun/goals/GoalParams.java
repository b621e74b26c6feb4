package io.skyrun.goals;

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
}
