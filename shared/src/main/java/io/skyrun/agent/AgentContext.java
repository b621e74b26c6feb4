package io.skyrun.agent;

import io.skyrun.agent.tools.ToolSpec;
import io.skyrun.memory.MemoryEntry;
import io.skyrun.runs.Step;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the model sees when it decides the next step.
 *
 * @param stepNo     the number of the step being decided, from 1
 * @param goalMemory what earlier runs (and the owner) kept in the goal's memory
 * @param deadline   when the step must be done (a Lambda's time), or null for no limit
 */
public record AgentContext(
        String objective,
        Map<String, Object> constraints,
        List<ToolSpec> tools,
        List<Step> history,
        Map<String, Object> workingMemory,
        int stepNo,
        int stepBudget,
        List<MemoryEntry> goalMemory,
        Instant deadline) {
}
