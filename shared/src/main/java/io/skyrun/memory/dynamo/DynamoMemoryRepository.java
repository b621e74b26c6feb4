package io.skyrun.memory.dynamo;

import io.micronaut.context.annotation.Requires;
import io.skyrun.memory.MemoryEntry;
import io.skyrun.memory.MemoryRepository;
import io.skyrun.memory.MemoryType;
import io.skyrun.storage.dynamo.DynamoTable;
import io.skyrun.storage.dynamo.Item;
import io.skyrun.storage.dynamo.Keys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.skyrun.storage.dynamo.DynamoTable.condition;
import static io.skyrun.storage.dynamo.DynamoTable.s;

/** Goal memory on the single DynamoDB table, in the goal's partition (deleting the goal removes it). */
@Singleton
@Requires(property = "skyrun.storage", value = "dynamodb")
public class DynamoMemoryRepository implements MemoryRepository {
    private final DynamoTable table;

    public DynamoMemoryRepository(DynamoTable table) {
        this.table = table;
    }

    @Override
    public MemoryEntry put(MemoryEntry entry) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<MemoryEntry> stored = find(entry.ownerId(), entry.goalId(), entry.key());
            MemoryEntry toStore = stored.map(old -> new MemoryEntry(old.id(), entry.ownerId(), entry.goalId(),
                    entry.type(), entry.key(), entry.content(), entry.runId(), old.createdAt(), entry.updatedAt()))
                    .orElse(entry);
            // a new key must still be new; an existing one must still be the owner's and the same entry
            Expression unchanged = stored.isEmpty()
                    ? DynamoTable.NEW_ITEM
                    : condition("ownerId = :owner AND id = :id", Map.of(":owner", s(entry.ownerId()), ":id", s(toStore.id())));
            // only while the goal exists: an entry written after the goal's delete would be left behind
            boolean written = table.putUnderParent(toItem(toStore), unchanged, Keys.goal(entry.goalId()), Keys.GOAL_SK,
                    entry.ownerId());
            if (written) {
                return toStore;
            }
        }
        throw new IllegalStateException("memory entry " + entry.key()
                + " could not be written: its goal is gone or the entry kept changing");
    }

    @Override
    public Optional<MemoryEntry> find(String ownerId, String goalId, String key) {
        return table.get(Keys.goal(goalId), Keys.memory(key)).filter(i -> ownerId.equals(i.ownerId))
                .map(DynamoMemoryRepository::toEntry);
    }

    @Override
    public List<MemoryEntry> list(String ownerId, String goalId) {
        return table.query(null, QueryConditional.sortBeginsWith(Key.builder().partitionValue(Keys.goal(goalId))
                        .sortValue(Keys.MEMORY_PREFIX).build()), false, null, Integer.MAX_VALUE).stream()
                .filter(i -> ownerId.equals(i.ownerId))
                .map(DynamoMemoryRepository::toEntry)
                .toList();
    }

    @Override
    public boolean delete(String ownerId, String goalId, String key) {
        Optional<Item> stored = table.get(Keys.goal(goalId), Keys.memory(key)).filter(i -> ownerId.equals(i.ownerId));
        if (stored.isEmpty()) {
            return false;
        }
        table.deleteAll(List.of(stored.get()));
        return true;
    }

    private static Item toItem(MemoryEntry e) {
        Item item = new Item();
        item.pk = Keys.goal(e.goalId());
        item.sk = Keys.memory(e.key());
        item.type = "memory";
        item.id = e.id();
        item.ownerId = e.ownerId();
        item.goalId = e.goalId();
        item.runId = e.runId();
        item.memoryType = e.type().wire();
        item.memoryKey = e.key();
        item.content = e.content();
        item.createdAt = e.createdAt().toEpochMilli();
        item.updatedAt = e.updatedAt().toEpochMilli();
        return item;
    }

    private static MemoryEntry toEntry(Item i) {
        return new MemoryEntry(i.id, i.ownerId, i.goalId, MemoryType.parse(i.memoryType).orElseThrow(), i.memoryKey,
                i.content, i.runId, Instant.ofEpochMilli(i.createdAt), Instant.ofEpochMilli(i.updatedAt));
    }
}
