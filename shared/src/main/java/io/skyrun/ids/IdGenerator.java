package io.skyrun.ids;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The state behind {@link Ids}: ULID-style ids (48-bit millisecond time, 80 random bits, Crockford base32),
 * monotonic within one millisecond so ids made in order also sort in order.
 */
final class IdGenerator {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private final Clock clock;
    private final Supplier<SecureRandom> randomSource;
    private SecureRandom random;
    private long lastMillis = -1;
    private final byte[] lastRandom = new byte[10];

    /**
     * @param clock        time of each id
     * @param random       the first source of the random part
     * @param randomSource where {@link #reseed()} takes a new one from
     */
    IdGenerator(Clock clock, SecureRandom random, Supplier<SecureRandom> randomSource) {
        this.clock = clock;
        this.random = random;
        this.randomSource = randomSource;
    }

    String next(String prefix) {
        long millis;
        byte[] bits = new byte[10];
        synchronized (this) {
            millis = clock.millis();
            if (millis <= lastMillis) {
                // the same (or an earlier) millisecond: continue from the last id instead of drawing anew
                millis = lastMillis;
                increment(lastRandom);
            } else {
                lastMillis = millis;
                random.nextBytes(lastRandom);
                lastRandom[0] &= 0x7f; // leaves room to increment within one millisecond
            }
            System.arraycopy(lastRandom, 0, bits, 0, 10);
        }
        return prefix + encode(millis, bits);
    }

    /**
     * Forgets the last id and takes a new random source. Copies of one SnapStart snapshot share the last
     * millisecond, its random part and the random source's state; without this, a copy whose clock stands at
     * or before that millisecond would continue the same sequence as every other copy and repeat their ids.
     */
    synchronized void reseed() {
        random = randomSource.get();
        lastMillis = -1;
        Arrays.fill(lastRandom, (byte) 0);
    }

    private static String encode(long millis, byte[] bits) {
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits -> 16 base32 characters
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (bits[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (bits[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    private static void increment(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (++bytes[i] != 0) {
                return;
            }
        }
    }
}
