package io.skyrun.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.time.Timestamps;

import java.util.Map;

/**
 * A step as {@code GET /api/v1/runs/{id}/steps} shows it.
 *
 * @param usage tokens this step's model call consumed; null when the provider reported none (the offline model)
 */
@Serdeable.Serializable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StepView(
        String id,
        String runId,
        int stepNo,
        String thought,
        String toolName,
        Map<String, Object> toolInput,
        String observation,
        long durationMs,
        String error,
        String createdAt,
        UsageView usage) {

    public static StepView of(Step s) {
        return new StepView(s.id(), s.runId(), s.stepNo(), s.thought(), s.toolName(), s.toolInput(), s.observation(),
                s.durationMs(), s.error(), Timestamps.format(s.createdAt()), UsageView.of(s.usage()));
    }
}
