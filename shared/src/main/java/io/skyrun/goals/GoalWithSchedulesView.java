package io.skyrun.goals;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.schedule.Schedule;
import io.skyrun.schedule.ScheduleView;

import java.util.List;
import java.util.Map;

/** A goal with its schedules, as {@code GET /api/v1/goals/{id}} shows it. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GoalWithSchedulesView(
        String id,
        String objective,
        Map<String, Object> params,
        String webhookUrl,
        String status,
        String createdAt,
        String updatedAt,
        List<ScheduleView> schedules) {

    public static GoalWithSchedulesView of(Goal goal, List<Schedule> schedules) {
        GoalView g = GoalView.of(goal);
        return new GoalWithSchedulesView(g.id(), g.objective(), g.params(), g.webhookUrl(), g.status(), g.createdAt(),
                g.updatedAt(), schedules.stream().map(ScheduleView::of).toList());
    }
}
