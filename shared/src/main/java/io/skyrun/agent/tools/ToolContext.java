package io.skyrun.agent.tools;

/** The run a tool call belongs to: tools that keep state (goal memory) act on this goal, for this owner. */
public record ToolContext(String ownerId, String goalId, String runId) {
}
