package io.skyrun.schedule.eventbridge;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where goal schedules become EventBridge rules.
 *
 * @param eventBus              bus of the rules ({@code SKYRUN_EVENT_BUS}); scheduled rules only run on {@code default}
 * @param rulePrefix            prefix of every rule name ({@code SKYRUN_RULE_PREFIX}); the IAM policy is scoped to it
 * @param targetArn             the schedule-trigger Lambda (alias) the rules invoke ({@code SKYRUN_SCHEDULE_TARGET_ARN})
 * @param deadLetterArn         SQS queue that receives fires the target could not take ({@code SKYRUN_SCHEDULE_DLQ_ARN})
 * @param maximumRetryAttempts  retries of a failed fire before it goes to the dead-letter queue
 * @param maximumEventAgeSeconds how long a fire may be retried
 */
@ConfigurationProperties("skyrun.eventbridge")
public record EventBridgeConfig(
        @Bindable(defaultValue = "default") String eventBus,
        @Bindable(defaultValue = "skyrun-") String rulePrefix,
        @Nullable String targetArn,
        @Nullable String deadLetterArn,
        @Bindable(defaultValue = "8") int maximumRetryAttempts,
        @Bindable(defaultValue = "3600") int maximumEventAgeSeconds) {
}
