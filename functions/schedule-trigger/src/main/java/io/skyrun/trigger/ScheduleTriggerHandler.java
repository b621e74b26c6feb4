package io.skyrun.trigger;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.skyrun.aws.FunctionContextBuilder;
import io.skyrun.schedule.ScheduleFires;
import jakarta.inject.Inject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The schedule-trigger Lambda ({@code io.skyrun.trigger.ScheduleTriggerHandler::handleRequest}). Each
 * EventBridge rule made from a goal schedule invokes it with its input transformer's output:
 * {@code {"ownerId","goalId","scheduleId","cronExpr","timezone","time"}}, where {@code time} is the
 * scheduled event's time. A malformed input fails the invocation, so EventBridge retries it and
 * finally parks it in the rule target's dead-letter queue: no fire is lost silently.
 */
public class ScheduleTriggerHandler extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {
    @Inject
    ScheduleFires fires;

    public ScheduleTriggerHandler() {
    }

    public ScheduleTriggerHandler(ApplicationContext context) {
        super(context);
    }

    /** Micronaut's Lambda environments; beans built on demand: the trigger needs none of the HTTP router's. */
    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContextBuilder.onDemand("function", "lambda");
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> input) {
        String ownerId = field(input, "ownerId");
        String goalId = field(input, "goalId");
        String scheduleId = field(input, "scheduleId");
        Instant time;
        try {
            time = Instant.parse(field(input, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("schedule fire has an unreadable time: " + input.get("time"), e);
        }
        ScheduleFires.Outcome outcome = fires.fire(ownerId, goalId, scheduleId, time);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scheduleId", scheduleId);
        out.put("time", time.toString());
        out.put("started", outcome.started());
        if (outcome.started()) {
            out.put("runId", outcome.runId());
        } else {
            out.put("skipped", outcome.skipped());
        }
        return out;
    }

    private static String field(Map<String, Object> input, String name) {
        Object value = input == null ? null : input.get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("schedule fire input lacks '" + name + "'");
        }
        return text;
    }
}
