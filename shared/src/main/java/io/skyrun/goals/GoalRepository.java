package io.skyrun.goals;

import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;

import java.util.Optional;

/** Storage port for goals. Every call is scoped to one owner. */
public interface GoalRepository {
    /** Stores a new goal; fails if the id exists. */
    void create(Goal goal);

    /** Replaces a stored goal's mutable fields. Returns false if it no longer exists. */
    boolean update(Goal goal);

    Optional<Goal> find(String ownerId, String id);

    /** One page of the owner's goals, newest first, optionally only those in one status. */
    Page<Goal> list(String ownerId, GoalStatus status, PageRequest page);

    /** Deletes the goal with its schedules, runs and their steps. Returns false if it did not exist. */
    boolean delete(String ownerId, String id);
}
