package io.skyrun.storage;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;

/**
 * Where relational storage lives.
 *
 * @param dataDir folder of the embedded H2 database ({@code SKYRUN_DATA_DIR}); default {@code ~/.skyrun}
 * @param dbUrl   a JDBC URL that replaces the embedded database, e.g. PostgreSQL ({@code SKYRUN_DB_URL})
 */
@ConfigurationProperties("skyrun")
public record StorageConfig(@Nullable String dataDir, @Nullable String dbUrl) {
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    /** The JDBC URL to use: {@code dbUrl} when set, else an H2 file database in the data folder. */
    public String jdbcUrl() {
        if (dbUrl != null && !dbUrl.isBlank()) {
            return dbUrl;
        }
        return "jdbc:h2:file:" + dataDirectory().toAbsolutePath().resolve("skyrun") + H2_OPTIONS;
    }

    /** The data folder: {@code dataDir}, or {@code ~/.skyrun}. */
    public Path dataDirectory() {
        return dataDir == null || dataDir.isBlank()
                ? Path.of(System.getProperty("user.home"), ".skyrun")
                : Path.of(dataDir);
    }
}
