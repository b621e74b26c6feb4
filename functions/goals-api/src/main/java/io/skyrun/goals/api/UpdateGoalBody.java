package io.skyrun.goals.api;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** The documented shape of an update-goal body; every field is optional. */
@Serdeable
public record UpdateGoalBody(
        @Schema(minLength = 10, maxLength = 1000) String objective,
        CreateGoalBody.Params params,
        @Schema(format = "uri", nullable = true) String webhookUrl,
        @Schema(allowableValues = {"active", "paused", "archived"}) String status) {
}
