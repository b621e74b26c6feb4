package io.skyrun.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Per-client-IP request limit.
 *
 * @param perMinute requests one IP may make per minute; 0 turns the limit off
 */
@ConfigurationProperties("skyrun.rate-limit")
public record RateLimitConfig(@Bindable(defaultValue = "100") int perMinute) {
}
