package io.skyrun.storage.dynamo;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTag;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

import java.util.function.BiConsumer;
import java.util.function.Function;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * One item of the single skyrun table: the union of the attributes of goals, schedules, runs and
 * steps, told apart by {@code type}. Unset attributes are not written.
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

    /**
     * The table schema, declared statically (no reflection). The accessors are one small class over {@link Attribute}
     * rather than a lambda per getter and setter: a hundred lambdas are a hundred classes spun at start, a
     * noticeable part of a Lambda cold start without a class-data archive.
     */
    public static final TableSchema<Item> SCHEMA = schema();

    private static TableSchema<Item> schema() {
        StaticTableSchema.Builder<Item> builder = StaticTableSchema.builder(Item.class).newItemSupplier(Item::new);
        for (Attribute attribute : Attribute.values()) {
            builder.addAttribute(attribute.staticAttribute());
        }
        return builder.build();
    }

    /** Every attribute: its name in the table, its type, and how it is read from and written to an item. */
    enum Attribute {
        PK("PK", String.class),
        SK("SK", String.class),
        GSI1PK("GSI1PK", String.class),
        GSI1SK("GSI1SK", String.class),
        GSI2PK("GSI2PK", String.class),
        GSI2SK("GSI2SK", String.class),
        GSI3PK("GSI3PK", String.class),
        GSI3SK("GSI3SK", String.class),
        TYPE("type", String.class),
        ID("id", String.class),
        OWNER_ID("ownerId", String.class),
        GOAL_ID("goalId", String.class),
        RUN_ID("runId", String.class),
        OBJECTIVE("objective", String.class),
        PARAMS("params", String.class),
        WEBHOOK_URL("webhookUrl", String.class),
        STATUS("status", String.class),
        CRON_EXPR("cronExpr", String.class),
        TIMEZONE("timezone", String.class),
        ACTIVE("active", Boolean.class),
        CREATED_AT("createdAt", Long.class),
        UPDATED_AT("updatedAt", Long.class),
        NEXT_FIRE_AT("nextFireAt", Long.class),
        STARTED_AT("startedAt", Long.class),
        ENDED_AT("endedAt", Long.class),
        WORKING_MEMORY("workingMemory", String.class),
        STEP_BUDGET("stepBudget", Integer.class),
        STEPS_EXECUTED("stepsExecuted", Integer.class),
        ERROR("error", String.class),
        STEP_NO("stepNo", Integer.class),
        THOUGHT("thought", String.class),
        TOOL_NAME("toolName", String.class),
        TOOL_INPUT("toolInput", String.class),
        OBSERVATION("observation", String.class),
        DURATION_MS("durationMs", Long.class),
        EXPIRES_AT("expiresAt", Long.class),
        LEASE_UNTIL("leaseUntil", Long.class),
        INPUT_TOKENS("inputTokens", Long.class),
        OUTPUT_TOKENS("outputTokens", Long.class),
        MEMORY_TYPE("memoryType", String.class),
        MEMORY_KEY("memoryKey", String.class),
        CONTENT("content", String.class),
        WEBHOOK_SECRET("webhookSecret", String.class),
        EVENT("event", String.class),
        URL("url", String.class),
        ATTEMPT("attempt", Integer.class),
        STATUS_CODE("statusCode", Integer.class);

        private final String name;
        private final Class<?> type;

        Attribute(String name, Class<?> type) {
            this.name = name;
            this.type = type;
        }

        String attributeName() {
            return name;
        }

        Object get(Item item) {
            return switch (this) {
                case PK -> item.pk;
                case SK -> item.sk;
                case GSI1PK -> item.gsi1pk;
                case GSI1SK -> item.gsi1sk;
                case GSI2PK -> item.gsi2pk;
                case GSI2SK -> item.gsi2sk;
                case GSI3PK -> item.gsi3pk;
                case GSI3SK -> item.gsi3sk;
                case TYPE -> item.type;
                case ID -> item.id;
                case OWNER_ID -> item.ownerId;
                case GOAL_ID -> item.goalId;
                case RUN_ID -> item.runId;
                case OBJECTIVE -> item.objective;
                case PARAMS -> item.params;
                case WEBHOOK_URL -> item.webhookUrl;
                case STATUS -> item.status;
                case CRON_EXPR -> item.cronExpr;
                case TIMEZONE -> item.timezone;
                case ACTIVE -> item.active;
                case CREATED_AT -> item.createdAt;
                case UPDATED_AT -> item.updatedAt;
                case NEXT_FIRE_AT -> item.nextFireAt;
                case STARTED_AT -> item.startedAt;
                case ENDED_AT -> item.endedAt;
                case WORKING_MEMORY -> item.workingMemory;
                case STEP_BUDGET -> item.stepBudget;
                case STEPS_EXECUTED -> item.stepsExecuted;
                case ERROR -> item.error;
                case STEP_NO -> item.stepNo;
                case THOUGHT -> item.thought;
                case TOOL_NAME -> item.toolName;
                case TOOL_INPUT -> item.toolInput;
                case OBSERVATION -> item.observation;
                case DURATION_MS -> item.durationMs;
                case EXPIRES_AT -> item.expiresAt;
                case LEASE_UNTIL -> item.leaseUntil;
                case INPUT_TOKENS -> item.inputTokens;
                case OUTPUT_TOKENS -> item.outputTokens;
                case MEMORY_TYPE -> item.memoryType;
                case MEMORY_KEY -> item.memoryKey;
                case CONTENT -> item.content;
                case WEBHOOK_SECRET -> item.webhookSecret;
                case EVENT -> item.event;
                case URL -> item.url;
                case ATTEMPT -> item.attempt;
                case STATUS_CODE -> item.statusCode;
            };
        }

        void set(Item item, Object value) {
            switch (this) {
                case PK -> item.pk = (String) value;
                case SK -> item.sk = (String) value;
                case GSI1PK -> item.gsi1pk = (String) value;
                case GSI1SK -> item.gsi1sk = (String) value;
                case GSI2PK -> item.gsi2pk = (String) value;
                case GSI2SK -> item.gsi2sk = (String) value;
                case GSI3PK -> item.gsi3pk = (String) value;
                case GSI3SK -> item.gsi3sk = (String) value;
                case TYPE -> item.type = (String) value;
                case ID -> item.id = (String) value;
                case OWNER_ID -> item.ownerId = (String) value;
                case GOAL_ID -> item.goalId = (String) value;
                case RUN_ID -> item.runId = (String) value;
                case OBJECTIVE -> item.objective = (String) value;
                case PARAMS -> item.params = (String) value;
                case WEBHOOK_URL -> item.webhookUrl = (String) value;
                case STATUS -> item.status = (String) value;
                case CRON_EXPR -> item.cronExpr = (String) value;
                case TIMEZONE -> item.timezone = (String) value;
                case ACTIVE -> item.active = (Boolean) value;
                case CREATED_AT -> item.createdAt = (Long) value;
                case UPDATED_AT -> item.updatedAt = (Long) value;
                case NEXT_FIRE_AT -> item.nextFireAt = (Long) value;
                case STARTED_AT -> item.startedAt = (Long) value;
                case ENDED_AT -> item.endedAt = (Long) value;
                case WORKING_MEMORY -> item.workingMemory = (String) value;
                case STEP_BUDGET -> item.stepBudget = (Integer) value;
                case STEPS_EXECUTED -> item.stepsExecuted = (Integer) value;
                case ERROR -> item.error = (String) value;
                case STEP_NO -> item.stepNo = (Integer) value;
                case THOUGHT -> item.thought = (String) value;
                case TOOL_NAME -> item.toolName = (String) value;
                case TOOL_INPUT -> item.toolInput = (String) value;
                case OBSERVATION -> item.observation = (String) value;
                case DURATION_MS -> item.durationMs = (Long) value;
                case EXPIRES_AT -> item.expiresAt = (Long) value;
                case LEASE_UNTIL -> item.leaseUntil = (Long) value;
                case INPUT_TOKENS -> item.inputTokens = (Long) value;
                case OUTPUT_TOKENS -> item.outputTokens = (Long) value;
                case MEMORY_TYPE -> item.memoryType = (String) value;
                case MEMORY_KEY -> item.memoryKey = (String) value;
                case CONTENT -> item.content = (String) value;
                case WEBHOOK_SECRET -> item.webhookSecret = (String) value;
                case EVENT -> item.event = (String) value;
                case URL -> item.url = (String) value;
                case ATTEMPT -> item.attempt = (Integer) value;
                case STATUS_CODE -> item.statusCode = (Integer) value;
            }
        }

        private StaticAttributeTag[] tags() {
            return switch (this) {
                case PK -> new StaticAttributeTag[] {primaryPartitionKey()};
                case SK -> new StaticAttributeTag[] {primarySortKey()};
                case GSI1PK -> new StaticAttributeTag[] {secondaryPartitionKey(GSI1)};
                case GSI1SK -> new StaticAttributeTag[] {secondarySortKey(GSI1)};
                case GSI2PK -> new StaticAttributeTag[] {secondaryPartitionKey(GSI2)};
                case GSI2SK -> new StaticAttributeTag[] {secondarySortKey(GSI2)};
                case GSI3PK -> new StaticAttributeTag[] {secondaryPartitionKey(GSI3)};
                case GSI3SK -> new StaticAttributeTag[] {secondarySortKey(GSI3)};
                default -> new StaticAttributeTag[0];
            };
        }

        private StaticAttribute<Item, ?> staticAttribute() {
            return staticAttribute(type);
        }

        private <T> StaticAttribute<Item, T> staticAttribute(Class<T> valueType) {
            Accessor<T> accessor = new Accessor<>(this, valueType);
            return StaticAttribute.builder(Item.class, valueType).name(name).getter(accessor).setter(accessor)
                    .tags(tags()).build();
        }
    }

    /** Getter and setter of one attribute. */
    private record Accessor<T>(Attribute attribute, Class<T> type) implements Function<Item, T>, BiConsumer<Item, T> {
        @Override
        public T apply(Item item) {
            return type.cast(attribute.get(item));
        }

        @Override
        public void accept(Item item, T value) {
            attribute.set(item, value);
        }
    }
}
