package io.skyrun.agent;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Limits of the agent loop.
 *
 * @param defaultStepBudget steps a run may take when its goal sets no {@code params.stepBudget}
 * @param maxStepBudget     the largest {@code params.stepBudget} a goal may set
 * @param runTimeout        wall-clock limit of one run
 * @param lease             how long a worker holds a running run without storing a step; after that another
 *                          worker may continue it (longer than the slowest step)
 * @param stepReserve       time kept free before a worker's deadline: no step starts later than that
 */
@ConfigurationProperties("skyrun.agent")
public record AgentConfig(
        @Bindable(defaultValue = "20") int defaultStepBudget,
        @Bindable(defaultValue = "100") int maxStepBudget,
        @Bindable(defaultValue = "10m") Duration runTimeout,
        @Bindable(defaultValue = "10m") Duration lease,
        @Bindable(defaultValue = "60s") Duration stepReserve) {
}
