package io.skyrun.schedule.jdbc;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.annotation.Connectable;
import io.skyrun.schedule.FireLedger;
import io.skyrun.schedule.Schedule;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Fire ledger on a relational database: the primary key refuses a second row for the same fire. */
@Singleton
@Requires(property = "skyrun.storage", value = "jdbc", defaultValue = "jdbc")
public class JdbcFireLedger implements FireLedger {
    private final DataSource dataSource;

    public JdbcFireLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    @Connectable
    public boolean firstFire(Schedule schedule, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO schedule_fires (schedule_id, fire_at, owner_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, schedule.id());
            insert.setLong(2, at.toEpochMilli());
            insert.setString(3, schedule.ownerId());
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record fire of " + schedule.id(), e);
        }
    }
}
