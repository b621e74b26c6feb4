package io.skyrun.errors;

import io.micronaut.serde.annotation.Serdeable;

/** The error body every endpoint of the goals/runs API answers with: {@code {"error": "..."}}. */
@Serdeable.Serializable
public record ApiError(String error) {
}
