package io.skyrun.schedule.dynamo;

import io.micronaut.context.annotation.Requires;
import io.skyrun.schedule.FireLedger;
import io.skyrun.schedule.Schedule;
import io.skyrun.storage.dynamo.DynamoTable;
import io.skyrun.storage.dynamo.Item;
import io.skyrun.storage.dynamo.Keys;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;

/** Fire ledger on the single table: a conditional put per fire, expired by TTL after a week. */
@Singleton
@Requires(property = "skyrun.storage", value = "dynamodb")
public class DynamoFireLedger implements FireLedger {
    private static final Duration KEEP = Duration.ofDays(7);

    private final DynamoTable table;

    public DynamoFireLedger(DynamoTable table) {
        this.table = table;
    }

    @Override
    public boolean firstFire(Schedule schedule, Instant at) {
        Item item = new Item();
        item.pk = Keys.fire(schedule.id(), at);
        item.sk = Keys.FIRE_SK;
        item.type = "fire";
        item.id = schedule.id();
        item.ownerId = schedule.ownerId();
        item.goalId = schedule.goalId();
        item.createdAt = at.toEpochMilli();
        item.expiresAt = at.plus(KEEP).getEpochSecond();
        try {
            table.putNew(item);
            return true;
        } catch (IllegalStateException alreadyThere) {
            return false;
        }
    }
}
