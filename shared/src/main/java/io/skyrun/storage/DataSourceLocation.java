package io.skyrun.storage;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Points the default datasource at the configured database. Done in code because the default
 * (a file under the data folder, itself defaulting to the home folder) cannot be written as one
 * configuration placeholder. Absent from the Lambda jars, which carry no JDBC libraries.
 */
@Singleton
@Requires(classes = DatasourceConfiguration.class)
public class DataSourceLocation implements BeanCreatedEventListener<DatasourceConfiguration> {
    private final StorageConfig config;

    public DataSourceLocation(StorageConfig config) {
        this.config = config;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration datasource = event.getBean();
        if ("default".equals(datasource.getName())) {
            String url = config.jdbcUrl();
            datasource.setUrl(url);
            datasource.setJdbcUrl(url);
            datasource.setDriverClassName(driverFor(url));
        }
        return datasource;
    }

    /** The driver was guessed from the URL configured before this one; ask the registered drivers again. */
    private static String driverFor(String url) {
        try {
            return DriverManager.getDriver(url).getClass().getName();
        } catch (SQLException e) {
            throw new IllegalStateException("No JDBC driver on the classpath accepts " + url.replaceAll("\\?.*", ""), e);
        }
    }
}
