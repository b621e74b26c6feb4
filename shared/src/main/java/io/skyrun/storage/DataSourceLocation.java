package io.skyrun.storage;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Points the default datasource at the configured database. Done in code because the default
 * (a file under the data folder, itself defaulting to the home folder) cannot be written as one
 * configuration placeholder.
 */
@Singleton
public class DataSourceLocation implements BeanCreatedEventListener<DatasourceConfiguration> {
    private final StorageConfig config;

    public DataSourceLocation(StorageConfig config) {
        this.config = config;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration datasource = event.getBean();
        if ("default".equals(datasource.getName())) {
            datasource.setUrl(config.jdbcUrl());
            datasource.setJdbcUrl(config.jdbcUrl());
        }
        return datasource;
    }
}
