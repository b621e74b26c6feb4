package io.skyrun.goals.api;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The documented shape of a create-goal body (the controller reads and validates the raw JSON itself). */
@Serdeable
public record CreateGoalBody(
        @Schema(minLength = 10, maxLength = 1000, requiredMode = Schema.RequiredMode.REQUIRED) String objective,
        Params params,
        @Schema(format = "uri") String webhookUrl,
        ScheduleBody schedule) {

    /** Run parameters. */
    @Serdeable
    public record Params(@Schema(minimum = "1") Integer stepBudget,
                         @Schema(description = "known: current_time, http_request, memory_read, memory_write, "
                                 + "web_scrape, web_search") List<String> allowedTools,
                         Map<String, Object> constraints,
                         @Schema(description = "what a run produces at its end (at most 10); outcomes in the run's "
                                 + "workingMemory.outputs") List<Output> outputs) {
    }

    /** One output of a run. */
    @Serdeable
    public record Output(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                                 allowableValues = {"summary", "file", "webhook", "email"}) String kind,
                         @Schema(description = "file: the file name (default result.md)", example = "report.md") String name,
                         @Schema(description = "email: one address or an array of 1-10") List<String> to) {
    }

    /** A 5-field cron schedule. */
    @Serdeable
    public record ScheduleBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "0 9 * * *") String cronExpr,
                               @Schema(defaultValue = "UTC", example = "America/New_York") String timezone) {
    }
}
