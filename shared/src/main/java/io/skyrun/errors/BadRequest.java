package io.skyrun.errors;

/** The request cannot be carried out as sent: a validation failure or a state that forbids it. */
public class BadRequest extends RuntimeException {
    public BadRequest(String message) {
        super(message, null, false, false);
    }
}
