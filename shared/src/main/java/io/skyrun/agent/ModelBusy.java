package io.skyrun.agent;

/**
 * The model could not answer for a passing reason (rate limit, server error, timeout) and there is no time
 * left in this invocation to try again: the run should yield and continue in the next one.
 */
public class ModelBusy extends RuntimeException {
    public ModelBusy(String message, Throwable cause) {
        super(message, cause);
    }
}
