package io.skyrun.schedule;

/** The schedule backend refused or could not be reached. */
public class SchedulerUnavailable extends RuntimeException {

    public SchedulerUnavailable(String message) {
        super(message);
    }

    public SchedulerUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
