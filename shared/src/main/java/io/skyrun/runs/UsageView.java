package io.skyrun.runs;

import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.agent.Usage;

/** Token counts as the runs endpoints show them. */
@Serdeable.Serializable
public record UsageView(long inputTokens, long outputTokens, long totalTokens) {
    public static UsageView of(Usage usage) {
        return usage == null ? null : new UsageView(usage.inputTokens(), usage.outputTokens(), usage.totalTokens());
    }
}
