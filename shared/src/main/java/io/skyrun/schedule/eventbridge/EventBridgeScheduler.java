package io.skyrun.schedule.eventbridge;

import io.skyrun.schedule.CronExpression;
import io.skyrun.schedule.Schedule;
import io.skyrun.schedule.Scheduler;
import io.skyrun.schedule.SchedulerUnavailable;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DeadLetterConfig;
import software.amazon.awssdk.services.eventbridge.model.InputTransformer;
import software.amazon.awssdk.services.eventbridge.model.ListRulesResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.RemoveTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RetryPolicy;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * Makes schedules fire through EventBridge rules that invoke the trigger, which keeps only real fire instants.
 *
 * <p>A schedule gets the rules {@code <rulePrefix><scheduleId>-<k>}, one per expression of
 * {@link AwsCron#expressions}, each with the single target {@value #TARGET_ID}. Pause, resume and remove find
 * the rules by listing that name prefix rather than deriving them again, because a tzdata update may have changed
 * how many rules the schedule needs since it was registered. SDK failures surface as {@link SchedulerUnavailable}.
 */
public final class EventBridgeScheduler implements Scheduler {

    /** The id of the one target on every rule. */
    public static final String TARGET_ID = "skyrun-trigger";

    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeScheduler.class);
    private static final int MAX_RULE_NAME_LENGTH = 64;
    private static final int MAX_DESCRIPTION_LENGTH = 512;
    private static final Pattern RULE_NAME = Pattern.compile("[.\\-_A-Za-z0-9]+");

    private final Supplier<EventBridgeClient> client;
    private final EventBridgeSchedulerSettings settings;
    private final Clock clock;

    public EventBridgeScheduler(EventBridgeClient client, EventBridgeSchedulerSettings settings, Clock clock) {
        this(() -> client, settings, clock);
        Objects.requireNonNull(client, "client");
    }

    /** With the client built on first use: goal requests that touch no schedule never load the EventBridge client. */
    public EventBridgeScheduler(Supplier<EventBridgeClient> client, EventBridgeSchedulerSettings settings, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Puts the schedule's rules, disabled when the schedule is inactive. When a call fails, the rules this call
     * already created are deleted again as far as EventBridge lets it, so that no half-registered schedule fires.
     *
     * @throws IllegalArgumentException when the cron expression, the time zone or a rule name is invalid
     * @throws SchedulerUnavailable when EventBridge refuses a call or cannot be reached
     */
    @Override
    public void register(Schedule schedule) {
        CronExpression cron = CronExpression.parse(schedule.cronExpr());
        ZoneId zone = zone(schedule);
        List<String> expressions = AwsCron.expressions(cron, zone, clock.instant());
        List<String> names = new ArrayList<>();
        for (int k = 0; k < expressions.size(); k++) {
            names.add(ruleName(schedule, k));
        }
        RuleState state = schedule.active() ? RuleState.ENABLED : RuleState.DISABLED;
        String description = description(schedule);
        Target target = target(schedule);
        List<String> created = new ArrayList<>();
        try {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(k);
                String expression = expressions.get(k);
                call("PutRule", name, () -> client.get().putRule(r -> r
                        .name(name)
                        .scheduleExpression(expression)
                        .state(state)
                        .eventBusName(settings.eventBus())
                        .description(description)));
                created.add(name);
                PutTargetsResponse response = call("PutTargets", name, () -> client.get().putTargets(r -> r
                        .rule(name)
                        .eventBusName(settings.eventBus())
                        .targets(target)));
                if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                    throw new SchedulerUnavailable("EventBridge PutTargets for rule " + name + " failed: "
                            + response.failedEntries().stream()
                                    .map(f -> f.targetId() + ": " + f.errorCode() + " " + f.errorMessage())
                                    .collect(Collectors.joining("; ")));
                }
            }
        } catch (SchedulerUnavailable e) {
            deleteQuietly(created, e);
            throw e;
        }
        LOG.info("registered schedule {} of goal {} ({} {}, {}) as {} EventBridge rule(s) {}",
                schedule.id(), schedule.goalId(), schedule.cronExpr(), schedule.timezone(), state, names.size(),
                expressions);
    }

    /**
     * Disables every rule of the schedule.
     *
     * @throws SchedulerUnavailable when EventBridge refuses a call or cannot be reached
     */
    @Override
    public void pause(Schedule schedule) {
        List<String> names = ruleNamesOf(schedule);
        for (String name : names) {
            call("DisableRule", name, () -> client.get().disableRule(r -> r.name(name).eventBusName(settings.eventBus())));
        }
        LOG.info("paused schedule {} of goal {}: disabled {} EventBridge rule(s)",
                schedule.id(), schedule.goalId(), names.size());
    }

    /**
     * Enables every rule of the schedule.
     *
     * @throws SchedulerUnavailable when EventBridge refuses a call or cannot be reached
     */
    @Override
    public void resume(Schedule schedule) {
        List<String> names = ruleNamesOf(schedule);
        for (String name : names) {
            call("EnableRule", name, () -> client.get().enableRule(r -> r.name(name).eventBusName(settings.eventBus())));
        }
        LOG.info("resumed schedule {} of goal {}: enabled {} EventBridge rule(s)",
                schedule.id(), schedule.goalId(), names.size());
    }

    /**
     * Deletes every rule of the schedule with its target; rules that are already gone count as deleted.
     *
     * @throws SchedulerUnavailable when EventBridge refuses a call or cannot be reached
     */
    @Override
    public void remove(Schedule schedule) {
        List<String> names = ruleNamesOf(schedule);
        for (String name : names) {
            delete(name);
        }
        LOG.info("removed schedule {} of goal {}: deleted {} EventBridge rule(s)",
                schedule.id(), schedule.goalId(), names.size());
    }

    private void delete(String name) {
        try {
            // EventBridge refuses to delete a rule that still has targets.
            RemoveTargetsResponse response = call("RemoveTargets", name, () -> client.get().removeTargets(r -> r
                    .rule(name)
                    .eventBusName(settings.eventBus())
                    .ids(TARGET_ID)));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw new SchedulerUnavailable("EventBridge RemoveTargets for rule " + name + " failed: "
                        + response.failedEntries().stream()
                                .map(f -> f.targetId() + ": " + f.errorCode() + " " + f.errorMessage())
                                .collect(Collectors.joining("; ")));
            }
            call("DeleteRule", name, () -> client.get().deleteRule(r -> r.name(name).eventBusName(settings.eventBus())));
        } catch (SchedulerUnavailable e) {
            if (!(e.getCause() instanceof ResourceNotFoundException)) {
                throw e;
            }
        }
    }

    private void deleteQuietly(List<String> names, SchedulerUnavailable failure) {
        for (String name : names) {
            try {
                delete(name);
            } catch (SchedulerUnavailable e) {
                failure.addSuppressed(e);
            }
        }
    }

    private List<String> ruleNamesOf(Schedule schedule) {
        String prefix = settings.rulePrefix() + schedule.id() + "-";
        // The prefix alone would also match rules of a schedule whose id extends this one's.
        Pattern own = Pattern.compile(Pattern.quote(prefix) + "\\d+");
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String nextToken = token;
            ListRulesResponse page = call("ListRules", prefix + "*", () -> client.get().listRules(r -> r
                    .namePrefix(prefix)
                    .eventBusName(settings.eventBus())
                    .nextToken(nextToken)));
            page.rules().stream().map(Rule::name).filter(n -> own.matcher(n).matches()).forEach(names::add);
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return names;
    }

    private static ZoneId zone(Schedule schedule) {
        try {
            return ZoneId.of(schedule.timezone());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "timezone '" + schedule.timezone() + "' of schedule " + schedule.id() + " is not a known zone", e);
        }
    }

    private String ruleName(Schedule schedule, int index) {
        String name = settings.rulePrefix() + schedule.id() + "-" + index;
        if (name.length() > MAX_RULE_NAME_LENGTH || !RULE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("EventBridge rule name '" + name + "' for schedule " + schedule.id()
                    + " is invalid: rule names have at most " + MAX_RULE_NAME_LENGTH
                    + " letters, digits, '.', '-' or '_'; shorten the rule prefix '" + settings.rulePrefix() + "'");
        }
        return name;
    }

    private static String description(Schedule schedule) {
        String description = "skyrun schedule " + schedule.id() + " of goal " + schedule.goalId() + ": "
                + schedule.cronExpr() + " " + schedule.timezone();
        return description.length() <= MAX_DESCRIPTION_LENGTH
                ? description
                : description.substring(0, MAX_DESCRIPTION_LENGTH);
    }

    private Target target(Schedule schedule) {
        Map<String, String> input = new LinkedHashMap<>();
        input.put("ownerId", schedule.ownerId());
        input.put("goalId", schedule.goalId());
        input.put("scheduleId", schedule.id());
        input.put("cronExpr", schedule.cronExpr());
        input.put("timezone", schedule.timezone());
        String fields = jsonObject(input);
        // an input transformer rather than a constant input, so the trigger also learns the fire time
        String template = fields.substring(0, fields.length() - 1) + ",\"time\":<time>}";
        return Target.builder()
                .id(TARGET_ID)
                .arn(settings.targetArn())
                .inputTransformer(InputTransformer.builder()
                        .inputPathsMap(Map.of("time", "$.time"))
                        .inputTemplate(template)
                        .build())
                .retryPolicy(RetryPolicy.builder()
                        .maximumRetryAttempts(settings.maximumRetryAttempts())
                        .maximumEventAgeInSeconds(settings.maximumEventAgeSeconds())
                        .build())
                .deadLetterConfig(DeadLetterConfig.builder().arn(settings.deadLetterArn()).build())
                .build();
    }

    private static <T> T call(String operation, String rule, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw new SchedulerUnavailable("EventBridge " + operation + " for rule " + rule + " failed: " + reason(e), e);
        }
    }

    /** Code, status and EventBridge's own message; request ids and the like stay in the cause. */
    private static String reason(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = service.awsErrorDetails().errorCode();
            return (code == null ? "error" : code) + " (HTTP " + service.statusCode() + "): "
                    + service.awsErrorDetails().errorMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String jsonObject(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            appendString(json, key);
            json.append(':');
            if (value == null) {
                json.append("null");
            } else {
                appendString(json, value);
            }
        });
        return json.append('}').toString();
    }

    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    // U+2028/2029 are valid JSON but break JavaScript consumers that eval the text.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
