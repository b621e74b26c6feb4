package io.skyrun.memory;

import io.skyrun.errors.BadRequest;
import io.skyrun.errors.NotFound;
import io.skyrun.goals.GoalService;
import io.skyrun.ids.Ids;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A goal's memory: what its runs (through the memory tools) and its owner (through the API) keep for later
 * runs. Keys are short names; limits keep the memory small enough to go into every prompt's summary.
 */
@Singleton
public class MemoryService {
    public static final int MAX_KEY = 100;
    public static final int MAX_CONTENT = 8_000;
    public static final int MAX_ENTRIES = 200;
    public static final String NOT_FOUND = "Memory entry not found";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0," + (MAX_KEY - 1) + "}");

    private final MemoryRepository memory;
    private final GoalService goals;
    private final Clock clock;

    public MemoryService(MemoryRepository memory, GoalService goals, Clock clock) {
        this.memory = memory;
        this.goals = goals;
        this.clock = clock;
    }

    /** The goal's entries; 404 when the owner has no such goal. */
    public List<MemoryEntry> list(String ownerId, String goalId, MemoryType type) {
        goals.get(ownerId, goalId);
        return memory.list(ownerId, goalId).stream().filter(e -> type == null || e.type() == type).toList();
    }

    /** The goal's entries for a run's prompt; the goal is known to exist. */
    public List<MemoryEntry> forRun(String ownerId, String goalId) {
        return memory.list(ownerId, goalId);
    }

    public Optional<MemoryEntry> find(String ownerId, String goalId, String key) {
        // a key that cannot exist is not looked up (DynamoDB would refuse an oversized sort key)
        return KEY.matcher(key == null ? "" : key).matches() ? memory.find(ownerId, goalId, key) : Optional.empty();
    }

    /**
     * Writes an entry after checking it; 400 naming what is wrong, 404 when the goal does not exist.
     *
     * @param runId the writing run, or null for the API
     */
    public MemoryEntry write(String ownerId, String goalId, String type, String key, String content, String runId) {
        goals.get(ownerId, goalId);
        MemoryType kind = MemoryType.parse(type)
                .orElseThrow(() -> new BadRequest("type must be one of: " + MemoryType.allowed()));
        String name = checkKey(key);
        if (content == null || content.isBlank()) {
            throw new BadRequest("content must be a non-empty string");
        }
        if (content.length() > MAX_CONTENT) {
            throw new BadRequest("content must be at most " + MAX_CONTENT + " characters");
        }
        if (content.indexOf('\0') >= 0) {
            throw new BadRequest("content must not contain NUL characters");
        }
        if (memory.find(ownerId, goalId, name).isEmpty() && memory.list(ownerId, goalId).size() >= MAX_ENTRIES) {
            throw new BadRequest("memory is full: a goal keeps at most " + MAX_ENTRIES
                    + " entries; overwrite or delete one");
        }
        Instant now = clock.instant();
        return memory.put(new MemoryEntry(Ids.next("mem_"), ownerId, goalId, kind, name, content, runId, now, now));
    }

    public void delete(String ownerId, String goalId, String key) {
        goals.get(ownerId, goalId);
        if (key == null || !KEY.matcher(key).matches() || !memory.delete(ownerId, goalId, key)) {
            throw new NotFound(NOT_FOUND);
        }
    }

    /** The key, or 400: 1-100 letters, digits and {@code _ . : -}, starting with a letter or digit. */
    public static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new BadRequest("key must be 1-" + MAX_KEY + " letters, digits, '_', '.', ':' or '-', "
                    + "starting with a letter or digit");
        }
        return key;
    }
}
