package io.skyrun.schedule.eventbridge;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.skyrun.aws.AwsClientFactory;
import io.skyrun.aws.AwsConfig;
import io.skyrun.aws.LazyClient;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.time.Clock;

/** Builds the EventBridge schedule adapter when {@code SKYRUN_SCHEDULER=eventbridge}. */
@Factory
@Requires(property = "skyrun.scheduler", value = "eventbridge")
public class EventBridgeFactory {
    @Singleton
    EventBridgeScheduler eventBridgeScheduler(AwsClientFactory clients, AwsConfig aws, EventBridgeConfig config,
                                              Clock clock) {
        EventBridgeSchedulerSettings settings = new EventBridgeSchedulerSettings(config.eventBus(), config.rulePrefix(),
                required(config.targetArn(), "SKYRUN_SCHEDULE_TARGET_ARN"),
                required(config.deadLetterArn(), "SKYRUN_SCHEDULE_DLQ_ARN"),
                config.maximumRetryAttempts(), config.maximumEventAgeSeconds());
        // built on the first schedule change: most requests never call EventBridge
        LazyClient<EventBridgeClient> client = clients.lazy(
                () -> clients.configure(EventBridgeClient.builder(), aws.eventbridgeEndpoint()).build());
        return new EventBridgeScheduler(client, settings, clock);
    }

    private static String required(String value, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " must be set when SKYRUN_SCHEDULER=eventbridge");
        }
        return value;
    }
}
