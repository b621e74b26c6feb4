package io.skyrun.storage.dynamo;

import java.time.Instant;

/**
 * Every key of the single table, built here and nowhere else.
 *
 * <pre>
 * item      PK             SK            GSI1 (owner lists)                GSI2                          GSI3
 * goal      GOAL#id        GOAL          OWNER#o#GOALS / t#id              OWNER#o#GOALS#status / t#id   -
 * schedule  GOAL#goalId    SCHED#id      OWNER#o#SCHEDS#ACTIVE / id        SCHEDS#DUE / nextFire#id      -
 *                                        (only while active)               (only while active and due)
 * run       RUN#id         RUN           OWNER#o#RUNS / t#id               GOAL#goalId#RUNS / t#id       RUNS#status / o#t#id
 * step      RUN#runId      STEP#000042   -                                 -                             -
 * memory    GOAL#goalId    MEM#key       -                                 -                             -
 * delivery  RUN#runId      WHD#id        -                                 -                             -
 * fire      FIRE#schedId#t FIRE          -                                 -                             -   (expires by TTL)
 * </pre>
 * {@code t} is the creation time in epoch milliseconds, zero-padded so keys sort by time.
 */
public final class Keys {
    public static final String GOAL_SK = "GOAL";
    public static final String RUN_SK = "RUN";
    public static final String FIRE_SK = "FIRE";
    public static final String SCHEDULE_PREFIX = "SCHED#";
    public static final String STEP_PREFIX = "STEP#";
    public static final String MEMORY_PREFIX = "MEM#";
    public static final String DELIVERY_PREFIX = "WHD#";
    public static final String DUE = "SCHEDS#DUE";

    private Keys() {
    }

    public static String goal(String goalId) {
        return "GOAL#" + goalId;
    }

    public static String schedule(String scheduleId) {
        return SCHEDULE_PREFIX + scheduleId;
    }

    public static String run(String runId) {
        return "RUN#" + runId;
    }

    /** A goal's memory entry: in the goal's partition, so deleting the goal takes it along. */
    public static String memory(String key) {
        return MEMORY_PREFIX + key;
    }

    /** A webhook delivery attempt, in the run's partition; ids sort by time. */
    public static String delivery(String deliveryId) {
        return DELIVERY_PREFIX + deliveryId;
    }

    public static String step(int stepNo) {
        return String.format("%s%06d", STEP_PREFIX, stepNo);
    }

    public static String fire(String scheduleId, Instant at) {
        return "FIRE#" + scheduleId + "#" + at.toEpochMilli();
    }

    public static String ownerGoals(String ownerId) {
        return "OWNER#" + ownerId + "#GOALS";
    }

    public static String ownerGoals(String ownerId, String status) {
        return ownerGoals(ownerId) + "#" + status;
    }

    public static String ownerActiveSchedules(String ownerId) {
        return "OWNER#" + ownerId + "#SCHEDS#ACTIVE";
    }

    public static String ownerRuns(String ownerId) {
        return "OWNER#" + ownerId + "#RUNS";
    }

    public static String goalRuns(String goalId) {
        return "GOAL#" + goalId + "#RUNS";
    }

    public static String runsInStatus(String status) {
        return "RUNS#" + status;
    }

    /** Sort key that orders by time, then id. */
    public static String byTime(long millis, String id) {
        return String.format("%013d#%s", millis, id);
    }

    /** Sort key of the runs-by-status index: owner first, so one owner's runs are a key range. */
    public static String byOwnerAndTime(String ownerId, long millis, String id) {
        return ownerPrefix(ownerId) + byTime(millis, id);
    }

    /** The key range of one owner in the runs-by-status index; owner ids may not contain '#', or ranges would overlap. */
    public static String ownerPrefix(String ownerId) {
        if (ownerId.indexOf('#') >= 0) {
            throw new IllegalArgumentException("owner ids must not contain '#'");
        }
        return ownerId + "#";
    }
}
