package io.skyrun.errors;

/** A record the caller asked for does not exist (or belongs to another owner). */
public class NotFound extends RuntimeException {
    public NotFound(String message) {
        super(message, null, false, false);
    }
}
