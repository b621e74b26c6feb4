package io.skyrun.ids;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Makes prefixed, time-sortable record ids such as {@code goal_01hx3k...}.
 *
 * <p>SnapStart: the generator lives in a static field, so a snapshot captures its last millisecond, that
 * millisecond's random part and the state of its {@link SecureRandom}. On Linux the default SecureRandom
 * (NativePRNG) mixes fresh {@code /dev/urandom} bytes into every draw, so fresh draws differ between restored
 * copies, but two things do not: an id made in the snapshot's last millisecond (or under a clock behind it)
 * increments the captured random part instead of drawing, identically in every copy, and other SecureRandom
 * algorithms (DRBG, SHA1PRNG) keep their whole seed in memory. The Lambdas' restore hook therefore calls
 * {@link #reseed()}.
 */
public final class Ids {
    private static final IdGenerator GENERATOR = new IdGenerator(Clock.systemUTC(), new SecureRandom(),
            SecureRandom::new);

    private Ids() {
    }

    public static String goal() {
        return next("goal_");
    }

    public static String schedule() {
        return next("sched_");
    }

    public static String run() {
        return next("run_");
    }

    public static String step() {
        return next("step_");
    }

    /**
     * A ULID-style id (48-bit millisecond time, 80 random bits, Crockford base32), monotonic within
     * one millisecond so ids made in order also sort in order.
     */
    public static String next(String prefix) {
        return GENERATOR.next(prefix);
    }

    /** Forgets the last id and draws from a new SecureRandom: for a copy restored from a SnapStart snapshot. */
    public static void reseed() {
        GENERATOR.reseed();
    }
}
