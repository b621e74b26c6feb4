package io.skyrun.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.time.Timestamps;

/** A schedule as the API shows it. */
@Serdeable.Serializable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ScheduleView(String id, String goalId, String cronExpr, String timezone, boolean active, String createdAt) {
    public static ScheduleView of(Schedule s) {
        return new ScheduleView(s.id(), s.goalId(), s.cronExpr(), s.timezone(), s.active(), Timestamps.format(s.createdAt()));
    }
}
