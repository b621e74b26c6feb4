package io.skyrun.ids;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ids under SnapStart: two generators built the same way stand for two copies restored from one snapshot
 * (same captured state, a clock standing at the snapshot's last millisecond).
 */
class IdGeneratorTest {
    private static final Clock SNAPSHOT_MILLISECOND = Clock.fixed(Instant.parse("2026-07-01T09:00:00Z"), ZoneOffset.UTC);

    /** A SecureRandom whose whole state is its seed, as a snapshot would hold it. */
    private static SecureRandom capturedRandom() {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed("state captured in the snapshot".getBytes(StandardCharsets.UTF_8));
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static IdGenerator restoredCopy() {
        IdGenerator copy = new IdGenerator(SNAPSHOT_MILLISECOND, capturedRandom(), SecureRandom::new);
        copy.next("goal_"); // the last id made before the snapshot
        return copy;
    }

    @Test
    void copiesOfOneSnapshotRepeatEachOthersIdsWhenNotReseeded() {
        IdGenerator first = restoredCopy();
        IdGenerator second = restoredCopy();

        assertThat(first.next("run_")).isEqualTo(second.next("run_"));
    }

    @Test
    void copiesOfOneSnapshotMakeDifferentIdsOnceReseeded() {
        IdGenerator first = restoredCopy();
        IdGenerator second = restoredCopy();

        first.reseed();
        second.reseed();

        assertThat(first.next("run_")).isNotEqualTo(second.next("run_"));
    }

    @Test
    void idsMadeInOneMillisecondSortInTheOrderTheyWereMade() {
        IdGenerator generator = new IdGenerator(SNAPSHOT_MILLISECOND, new SecureRandom(), SecureRandom::new);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(generator.next("step_"));
        }

        assertThat(ids).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void anIdCarriesItsPrefixTimeAndTwentySixCharacters() {
        String id = new IdGenerator(SNAPSHOT_MILLISECOND, new SecureRandom(), SecureRandom::new).next("goal_");

        assertThat(id).startsWith("goal_").hasSize("goal_".length() + 26);
        assertThat(id.substring(5, 15)).isEqualTo(new IdGenerator(SNAPSHOT_MILLISECOND, new SecureRandom(),
                SecureRandom::new).next("").substring(0, 10));
    }
}
