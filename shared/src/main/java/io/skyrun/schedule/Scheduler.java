package io.skyrun.schedule;

/**
 * Port that makes stored schedules fire: the local cron ticker, or EventBridge rules on AWS.
 * The service stores the schedule first and then tells the scheduler.
 */
public interface Scheduler {
    /** Starts firing a new, active schedule. */
    void register(Schedule schedule);

    /** Stops firing, keeping the schedule. */
    void pause(Schedule schedule);

    /** Fires again from now on. */
    void resume(Schedule schedule);

    /** Stops firing for good; the schedule is being deleted. */
    void remove(Schedule schedule);
}
