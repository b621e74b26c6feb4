package io.skyrun.errors;

/** A backend the request needs (queue, scheduler) could not be reached; the request changed nothing lasting. */
public class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
