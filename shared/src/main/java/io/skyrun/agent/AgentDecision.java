package io.skyrun.agent;

import java.util.Map;

/**
 * The model's choice for one step: call a tool, or give the final answer.
 *
 * @param memory entries to merge into the run's working memory
 * @param usage  tokens the model call consumed; null when the model reports none
 */
public record AgentDecision(String thought, String toolName, Map<String, Object> toolInput, String finalAnswer,
                            Map<String, Object> memory, Usage usage) {

    public static AgentDecision callTool(String thought, String tool, Map<String, Object> input, Map<String, Object> memory) {
        return new AgentDecision(thought, tool, input, null, memory, null);
    }

    public static AgentDecision answer(String thought, String answer, Map<String, Object> memory) {
        return new AgentDecision(thought, null, null, answer, memory, null);
    }

    public AgentDecision withUsage(Usage used) {
        return new AgentDecision(thought, toolName, toolInput, finalAnswer, memory, used);
    }

    public boolean isFinal() {
        return toolName == null;
    }
}
