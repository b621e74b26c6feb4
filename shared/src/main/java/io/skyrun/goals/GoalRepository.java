package io.skyrun.goals;

import java.util.List;
import java.util.Optional;

/** Storage port for goals. Every call is scoped to one owner. */
public interface GoalRepository {
    /** Stores a new goal; fails if the id exists. */
    void create(Goal goal);

    /** Replaces a stored goal's mutable fields. Returns false if it no longer exists. */
    boolean update(Goal goal);

    Optional<Goal> find(String ownerId, String id);

    /** Goals of the owner, newest first, optionally only those in one status. */
    List<Goal> list(String ownerId, GoalStatus status);

    /** Deletes the goal with its schedules, runs and their steps. Returns false if it did not exist. */
    boolean delete(String ownerId, String id);
}
