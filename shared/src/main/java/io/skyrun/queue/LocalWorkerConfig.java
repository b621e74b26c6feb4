package io.skyrun.queue;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Settings of the in-process run worker.
 *
 * @param threads            runs executed at the same time
 * @param sweepInterval      how often stored pending runs are re-queued, so none is lost
 * @param shutdownGrace      how long a stopping server waits for runs in progress
 */
@ConfigurationProperties("skyrun.worker")
public record LocalWorkerConfig(
        @Bindable(defaultValue = "2") int threads,
        @Bindable(defaultValue = "30s") Duration sweepInterval,
        @Bindable(defaultValue = "10s") Duration shutdownGrace) {
}
