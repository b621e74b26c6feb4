package io.skyrun.agent;

/** Port to the language model that drives the agent loop. */
public interface AgentModel {
    /** Provider name as {@code /health/ready} reports it, e.g. {@code offline} or {@code openai}. */
    String provider();

    /** Model name as {@code /health/ready} reports it. */
    String model();

    AgentDecision decide(AgentContext context);
}
