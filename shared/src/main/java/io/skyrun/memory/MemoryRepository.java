package io.skyrun.memory;

import java.util.List;
import java.util.Optional;

/** Storage port for goal memory. Every call is scoped to one owner; entries go when their goal goes. */
public interface MemoryRepository {
    /**
     * Stores the entry under its goal and key. An existing entry with that key is replaced, keeping its
     * id and creation time. Returns what is stored.
     */
    MemoryEntry put(MemoryEntry entry);

    Optional<MemoryEntry> find(String ownerId, String goalId, String key);

    /** The goal's entries ordered by key. */
    List<MemoryEntry> list(String ownerId, String goalId);

    /** Returns false if there was no such entry. */
    boolean delete(String ownerId, String goalId, String key);
}
