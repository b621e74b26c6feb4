package io.skyrun.agent.tools;

/** A tool call that failed in a way the agent should see as an observation, not a crash. */
public class ToolFailure extends Exception {
    public ToolFailure(String message) {
        super(message, null, false, false);
    }
}
