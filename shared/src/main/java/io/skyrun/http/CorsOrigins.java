package io.skyrun.http;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.cors.CorsOriginConfiguration;
import jakarta.inject.Singleton;

import java.util.Arrays;
import java.util.List;

/**
 * Restricts CORS to the origins in {@code SKYRUN_CORS_ORIGINS} (comma-separated) when it is set.
 * Micronaut treats only an unset origin list as "any origin", so the list is applied here instead of
 * in configuration, where an empty or {@code *} value would match nothing.
 */
@Singleton
public class CorsOrigins implements BeanCreatedEventListener<HttpServerConfiguration.CorsConfiguration> {
    private final List<String> origins;

    public CorsOrigins(@Value("${skyrun.cors.origins:}") String origins) {
        this.origins = Arrays.stream(origins.split(","))
                .map(String::strip)
                .filter(o -> !o.isEmpty() && !o.equals("*"))
                .toList();
    }

    @Override
    public HttpServerConfiguration.CorsConfiguration onCreated(
            BeanCreatedEvent<HttpServerConfiguration.CorsConfiguration> event) {
        HttpServerConfiguration.CorsConfiguration cors = event.getBean();
        if (!origins.isEmpty()) {
            for (CorsOriginConfiguration config : cors.getConfigurations().values()) {
                config.setAllowedOrigins(origins);
            }
        }
        return cors;
    }
}
