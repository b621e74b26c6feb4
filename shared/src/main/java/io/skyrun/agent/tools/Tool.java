package io.skyrun.agent.tools;

import java.util.Map;

/** A capability the agent may call during a run. */
public interface Tool {
    ToolSpec spec();

    /**
     * Carries out one call and returns the observation.
     *
     * @throws ToolFailure when the call cannot be done; the message becomes the step's error and observation
     */
    String call(Map<String, Object> input) throws ToolFailure;

    /**
     * Carries out one call for a run. Tools that need to know the run's goal or owner override this;
     * the others ignore the context.
     */
    default String call(Map<String, Object> input, ToolContext context) throws ToolFailure {
        return call(input);
    }

    default String name() {
        return spec().name();
    }
}
