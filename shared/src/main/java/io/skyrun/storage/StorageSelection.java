package io.skyrun.storage;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;

import java.util.Map;

/**
 * Switches the relational datasource and its migrations off when {@code SKYRUN_STORAGE} names
 * another storage (DynamoDB on AWS), so a Lambda never opens an embedded database. Runs before
 * configuration is read, so it looks at the variable (or {@code -Dskyrun.storage}) itself.
 */
@ContextConfigurer
public class StorageSelection implements ApplicationContextConfigurer {
    @Override
    public void configure(ApplicationContextBuilder builder) {
        String storage = System.getProperty("skyrun.storage", System.getenv().getOrDefault("SKYRUN_STORAGE", "jdbc"));
        if (!"jdbc".equals(storage)) {
            builder.properties(Map.of(
                    "datasources.default.enabled", false,
                    "flyway.datasources.default.enabled", false));
        }
    }
}
