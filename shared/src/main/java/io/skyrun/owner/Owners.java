package io.skyrun.owner;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpRequest;

/**
 * Says which owner (tenant) a request acts for. Every record carries its owner and every query is
 * scoped to it; until authentication arrives, all requests act for one configured default owner.
 *
 * @param defaultId the owner id used for every request
 */
@ConfigurationProperties("skyrun.owner")
public record Owners(@Bindable(defaultValue = "default") String defaultId) {
    public String of(HttpRequest<?> request) {
        return defaultId;
    }
}
