package io.skyrun.schedule;

import java.time.Instant;

/** Storage port that remembers which schedule fires started a run, so a fire delivered twice starts one run. */
public interface FireLedger {
    /** Records the fire; true only the first time for this schedule and instant. */
    boolean firstFire(Schedule schedule, Instant at);
}
