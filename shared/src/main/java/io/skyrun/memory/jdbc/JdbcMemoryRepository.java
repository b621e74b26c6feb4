package io.skyrun.memory.jdbc;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.exceptions.DataAccessException;
import io.skyrun.memory.MemoryEntry;
import io.skyrun.memory.MemoryRepository;
import io.skyrun.memory.MemoryType;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Goal memory on a relational database; entries go with their goal (ON DELETE CASCADE). */
@Singleton
@Requires(property = "skyrun.storage", value = "jdbc", defaultValue = "jdbc")
public class JdbcMemoryRepository implements MemoryRepository {
    private final MemoryRows rows;

    public JdbcMemoryRepository(MemoryRows rows) {
        this.rows = rows;
    }

    @Override
    public MemoryEntry put(MemoryEntry e) {
        for (int attempt = 0; ; attempt++) {
            if (rows.change(e.ownerId(), e.goalId(), e.key(), e.type().wire(), e.content(), e.runId(),
                    e.updatedAt().toEpochMilli()) > 0) {
                return find(e.ownerId(), e.goalId(), e.key()).orElseThrow();
            }
            try {
                rows.save(new MemoryRow(e.id(), e.ownerId(), e.goalId(), e.key(), e.type().wire(), e.content(),
                        e.runId(), e.createdAt().toEpochMilli(), e.updatedAt().toEpochMilli()));
                return e;
            } catch (DataAccessException conflict) {
                // another writer created the key first: update it on the next pass
                if (attempt > 0) {
                    throw conflict;
                }
            }
        }
    }

    @Override
    public Optional<MemoryEntry> find(String ownerId, String goalId, String key) {
        return rows.findEntry(ownerId, goalId, key).map(JdbcMemoryRepository::toEntry);
    }

    @Override
    public List<MemoryEntry> list(String ownerId, String goalId) {
        return rows.listForGoal(ownerId, goalId).stream().map(JdbcMemoryRepository::toEntry).toList();
    }

    @Override
    public boolean delete(String ownerId, String goalId, String key) {
        return rows.remove(ownerId, goalId, key) > 0;
    }

    private static MemoryEntry toEntry(MemoryRow r) {
        return new MemoryEntry(r.id(), r.ownerId(), r.goalId(), MemoryType.parse(r.memType()).orElseThrow(), r.memKey(),
                r.content(), r.runId(), Instant.ofEpochMilli(r.createdAt()), Instant.ofEpochMilli(r.updatedAt()));
    }
}
