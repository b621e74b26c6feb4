package io.skyrun.ids;

import java.security.SecureRandom;
import java.time.Clock;

/** Makes prefixed, time-sortable record ids such as {@code goal_01hx3k...}. */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object LOCK = new Object();
    private static long lastMillis = -1;
    private static final byte[] lastRandom = new byte[10];

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
        long millis;
        byte[] random = new byte[10];
        synchronized (LOCK) {
            millis = Clock.systemUTC().millis();
            if (millis <= lastMillis) {
                millis = lastMillis;
                increment(lastRandom);
            } else {
                lastMillis = millis;
                RANDOM.nextBytes(lastRandom);
                lastRandom[0] &= 0x7f; // leaves room to increment within one millisecond
            }
            System.arraycopy(lastRandom, 0, random, 0, 10);
        }
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits -> 16 base32 characters
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return prefix + new String(out);
    }

    private static void increment(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (++bytes[i] != 0) {
                return;
            }
        }
    }
}
