package io.skyrun.storage.dynamo;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

import java.util.function.BiConsumer;
import java.util.function.Function;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * One item of the single skyrun table: the union of the attributes of goals, schedules, runs and
 * steps, told apart by {@code type}. The schema is declared statically (no reflection), which keeps
 * Lambda cold starts short. Unset attributes are not written.
 */
public final class Item {
    public static final String GSI1 = "GSI1";
    public static final String GSI2 = "GSI2";
    public static final String GSI3 = "GSI3";

    public String pk;
    public String sk;
    public String gsi1pk;
    public String gsi1sk;
    public String gsi2pk;
    public String gsi2sk;
    public String gsi3pk;
    public String gsi3sk;
    public String type;
    public String id;
    public String ownerId;
    public String goalId;
    public String runId;
    public String objective;
    public String params;
    public String webhookUrl;
    public String status;
    public String cronExpr;
    public String timezone;
    public Boolean active;
    public Long createdAt;
    public Long updatedAt;
    public Long nextFireAt;
    public Long startedAt;
    public Long endedAt;
    public String workingMemory;
    public Integer stepBudget;
    public Integer stepsExecuted;
    public String error;
    public Integer stepNo;
    public String thought;
    public String toolName;
    public String toolInput;
    public String observation;
    public Long durationMs;
    public Long expiresAt;
    public Long leaseUntil;
    public Long inputTokens;
    public Long outputTokens;
    public String memoryType;
    public String memoryKey;
    public String content;
    public String webhookSecret;
    public String event;
    public String url;
    public Integer attempt;
    public Integer statusCode;

    public static final TableSchema<Item> SCHEMA = StaticTableSchema.builder(Item.class)
            .newItemSupplier(Item::new)
            .addAttribute(String.class, a -> a.name("PK").getter(i -> i.pk).setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("SK").getter(i -> i.sk).setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("GSI1PK").getter(i -> i.gsi1pk).setter((i, v) -> i.gsi1pk = v)
                    .tags(secondaryPartitionKey(GSI1)))
            .addAttribute(String.class, a -> a.name("GSI1SK").getter(i -> i.gsi1sk).setter((i, v) -> i.gsi1sk = v)
                    .tags(secondarySortKey(GSI1)))
            .addAttribute(String.class, a -> a.name("GSI2PK").getter(i -> i.gsi2pk).setter((i, v) -> i.gsi2pk = v)
                    .tags(secondaryPartitionKey(GSI2)))
            .addAttribute(String.class, a -> a.name("GSI2SK").getter(i -> i.gsi2sk).setter((i, v) -> i.gsi2sk = v)
                    .tags(secondarySortKey(GSI2)))
            .addAttribute(String.class, a -> a.name("GSI3PK").getter(i -> i.gsi3pk).setter((i, v) -> i.gsi3pk = v)
                    .tags(secondaryPartitionKey(GSI3)))
            .addAttribute(String.class, a -> a.name("GSI3SK").getter(i -> i.gsi3sk).setter((i, v) -> i.gsi3sk = v)
                    .tags(secondarySortKey(GSI3)))
            .addAttribute(text("type", i -> i.type, (i, v) -> i.type = v))
            .addAttribute(text("id", i -> i.id, (i, v) -> i.id = v))
            .addAttribute(text("ownerId", i -> i.ownerId, (i, v) -> i.ownerId = v))
            .addAttribute(text("goalId", i -> i.goalId, (i, v) -> i.goalId = v))
            .addAttribute(text("runId", i -> i.runId, (i, v) -> i.runId = v))
            .addAttribute(text("objective", i -> i.objective, (i, v) -> i.objective = v))
            .addAttribute(text("params", i -> i.params, (i, v) -> i.params = v))
            .addAttribute(text("webhookUrl", i -> i.webhookUrl, (i, v) -> i.webhookUrl = v))
            .addAttribute(text("status", i -> i.status, (i, v) -> i.status = v))
            .addAttribute(text("cronExpr", i -> i.cronExpr, (i, v) -> i.cronExpr = v))
            .addAttribute(text("timezone", i -> i.timezone, (i, v) -> i.timezone = v))
            .addAttribute(Boolean.class, a -> a.name("active").getter(i -> i.active).setter((i, v) -> i.active = v))
            .addAttribute(number("createdAt", i -> i.createdAt, (i, v) -> i.createdAt = v))
            .addAttribute(number("updatedAt", i -> i.updatedAt, (i, v) -> i.updatedAt = v))
            .addAttribute(number("nextFireAt", i -> i.nextFireAt, (i, v) -> i.nextFireAt = v))
            .addAttribute(number("startedAt", i -> i.startedAt, (i, v) -> i.startedAt = v))
            .addAttribute(number("endedAt", i -> i.endedAt, (i, v) -> i.endedAt = v))
            .addAttribute(text("workingMemory", i -> i.workingMemory, (i, v) -> i.workingMemory = v))
            .addAttribute(Integer.class, a -> a.name("stepBudget").getter(i -> i.stepBudget).setter((i, v) -> i.stepBudget = v))
            .addAttribute(Integer.class, a -> a.name("stepsExecuted").getter(i -> i.stepsExecuted)
                    .setter((i, v) -> i.stepsExecuted = v))
            .addAttribute(text("error", i -> i.error, (i, v) -> i.error = v))
            .addAttribute(Integer.class, a -> a.name("stepNo").getter(i -> i.stepNo).setter((i, v) -> i.stepNo = v))
            .addAttribute(text("thought", i -> i.thought, (i, v) -> i.thought = v))
            .addAttribute(text("toolName", i -> i.toolName, (i, v) -> i.toolName = v))
            .addAttribute(text("toolInput", i -> i.toolInput, (i, v) -> i.toolInput = v))
            .addAttribute(text("observation", i -> i.observation, (i, v) -> i.observation = v))
            .addAttribute(number("durationMs", i -> i.durationMs, (i, v) -> i.durationMs = v))
            .addAttribute(number("expiresAt", i -> i.expiresAt, (i, v) -> i.expiresAt = v))
            .addAttribute(number("leaseUntil", i -> i.leaseUntil, (i, v) -> i.leaseUntil = v))
            .addAttribute(number("inputTokens", i -> i.inputTokens, (i, v) -> i.inputTokens = v))
            .addAttribute(number("outputTokens", i -> i.outputTokens, (i, v) -> i.outputTokens = v))
            .addAttribute(text("memoryType", i -> i.memoryType, (i, v) -> i.memoryType = v))
            .addAttribute(text("memoryKey", i -> i.memoryKey, (i, v) -> i.memoryKey = v))
            .addAttribute(text("content", i -> i.content, (i, v) -> i.content = v))
            .addAttribute(text("webhookSecret", i -> i.webhookSecret, (i, v) -> i.webhookSecret = v))
            .addAttribute(text("event", i -> i.event, (i, v) -> i.event = v))
            .addAttribute(text("url", i -> i.url, (i, v) -> i.url = v))
            .addAttribute(Integer.class, a -> a.name("attempt").getter(i -> i.attempt).setter((i, v) -> i.attempt = v))
            .addAttribute(Integer.class, a -> a.name("statusCode").getter(i -> i.statusCode)
                    .setter((i, v) -> i.statusCode = v))
            .build();

    private static StaticAttribute<Item, String> text(String name, Function<Item, String> get, BiConsumer<Item, String> set) {
        return StaticAttribute.builder(Item.class, String.class).name(name).getter(get).setter(set).build();
    }

    private static StaticAttribute<Item, Long> number(String name, Function<Item, Long> get, BiConsumer<Item, Long> set) {
        return StaticAttribute.builder(Item.class, Long.class).name(name).getter(get).setter(set).build();
    }
}
