package io.skyrun.schedule.eventbridge;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how {@link EventBridgeScheduler} creates its rules.
 *
 * @param eventBus name or ARN of the event bus that holds the rules, such as {@code default}
 * @param rulePrefix starts every rule name, so that one bus can hold rules of several deployments; letters,
 *     digits, {@code .}, {@code -} and {@code _}, at most {@value #MAX_RULE_PREFIX_LENGTH} characters
 * @param targetArn the trigger every rule invokes, usually a Lambda function
 * @param deadLetterArn the SQS queue that receives events the target could not take
 * @param maximumRetryAttempts how often EventBridge retries a failed invocation, 0-185
 * @param maximumEventAgeSeconds how long EventBridge keeps retrying an event, 60-86400 seconds
 */
public record EventBridgeSchedulerSettings(
        String eventBus,
        String rulePrefix,
        String targetArn,
        String deadLetterArn,
        int maximumRetryAttempts,
        int maximumEventAgeSeconds) {

    /**
     * EventBridge rule names have at most 64 characters; a rule name is the prefix, a 32-character schedule id,
     * a dash and a rule index of up to two digits.
     */
    public static final int MAX_RULE_PREFIX_LENGTH = 64 - 32 - 1 - 2;

    private static final Pattern RULE_NAME_CHARACTERS = Pattern.compile("[.\\-_A-Za-z0-9]*");

    public EventBridgeSchedulerSettings {
        requireText(eventBus, "eventBus");
        Objects.requireNonNull(rulePrefix, "rulePrefix");
        requireText(targetArn, "targetArn");
        requireText(deadLetterArn, "deadLetterArn");
        if (!RULE_NAME_CHARACTERS.matcher(rulePrefix).matches()) {
            throw new IllegalArgumentException("rulePrefix '" + rulePrefix
                    + "' may only contain letters, digits, '.', '-' and '_', as EventBridge rule names do");
        }
        if (rulePrefix.length() > MAX_RULE_PREFIX_LENGTH) {
            throw new IllegalArgumentException("rulePrefix '" + rulePrefix + "' has " + rulePrefix.length()
                    + " characters, but at most " + MAX_RULE_PREFIX_LENGTH + " leave room for the schedule id and "
                    + "rule index within EventBridge's 64-character rule names");
        }
        if (maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
            throw new IllegalArgumentException(
                    "maximumRetryAttempts must be 0-185 as EventBridge requires, got " + maximumRetryAttempts);
        }
        if (maximumEventAgeSeconds < 60 || maximumEventAgeSeconds > 86_400) {
            throw new IllegalArgumentException(
                    "maximumEventAgeSeconds must be 60-86400 as EventBridge requires, got " + maximumEventAgeSeconds);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
