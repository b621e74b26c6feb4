package io.skyrun.goals.api;

import io.micronaut.serde.annotation.Serdeable;

/** A goal's new webhook signing secret, shown once. */
@Serdeable.Serializable
public record WebhookSecretView(String webhookSecret) {
}
