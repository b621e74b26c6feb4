package io.skyrun.goals;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.schedule.Schedule;
import io.skyrun.schedule.ScheduleView;

import java.util.List;

/** A goal with its schedules, as {@code GET /api/v1/goals/{id}} shows it. */
@Serdeable.Serializable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GoalWithSchedulesView(@JsonUnwrapped GoalView goal, List<ScheduleView> schedules) {

    public static GoalWithSchedulesView of(Goal goal, List<Schedule> schedules) {
        return new GoalWithSchedulesView(GoalView.of(goal), schedules.stream().map(ScheduleView::of).toList());
    }
}
