package io.skyrun.goals;

import io.skyrun.paging.Page;
import io.skyrun.paging.PageRequest;

import java.util.Optional;

/** Storage port for goals. Every call is scoped to one owner. */
public interface GoalRepository {
    /** Stores a new goal with its webhook signing secret (null: none); fails if the id exists. */
    void create(Goal goal, String webhookSecret);

    /** Stores a new goal without a webhook signing secret. */
    default void create(Goal goal) {
        create(goal, null);
    }

    /** The goal's webhook signing secret, if it has one. */
    Optional<String> webhookSecret(String ownerId, String goalId);

    /** Replaces the goal's webhook signing secret. Returns false if the goal does not exist. */
    boolean setWebhookSecret(String ownerId, String goalId, String secret);

    /** Replaces a stored goal's mutable fields. Returns false if it no longer exists. */
    boolean update(Goal goal);

    Optional<Goal> find(String ownerId, String id);

    /** One page of the owner's goals, newest first, optionally only those in one status. */
    Page<Goal> list(String ownerId, GoalStatus status, PageRequest page);

    /** Deletes the goal with its schedules, runs and their steps. Returns false if it did not exist. */
    boolean delete(String ownerId, String id);
}
