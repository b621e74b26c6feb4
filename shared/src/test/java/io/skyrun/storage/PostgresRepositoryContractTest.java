package io.skyrun.storage;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.util.Map;

/**
 * The repository contract on a real PostgreSQL, when {@code SKYRUN_TEST_POSTGRES_URL} names one
 * ({@code .ci/run} starts a throwaway server when the machine has PostgreSQL installed).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "SKYRUN_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresRepositoryContractTest extends RepositoryContract implements TestPropertyProvider {
    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "skyrun.db-url", System.getenv("SKYRUN_TEST_POSTGRES_URL"),
                "datasources.default.username", System.getenv().getOrDefault("SKYRUN_TEST_POSTGRES_USER", "postgres"),
                "datasources.default.password", System.getenv().getOrDefault("SKYRUN_TEST_POSTGRES_PASSWORD", ""));
    }
}
