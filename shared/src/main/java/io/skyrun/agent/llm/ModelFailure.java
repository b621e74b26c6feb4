package io.skyrun.agent.llm;

/** A model call that failed for good; the message is safe to store and show (no key in it). */
public class ModelFailure extends RuntimeException {
    public ModelFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
