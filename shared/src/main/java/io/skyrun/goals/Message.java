package io.skyrun.goals;

import io.micronaut.serde.annotation.Serdeable;

/** A one-line confirmation such as {@code {"message": "Goal paused"}}. */
@Serdeable.Serializable
public record Message(String message) {
}
