package io.skyrun.agent.tools;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Tells the current date and time in a time zone. */
@Singleton
public class CurrentTimeTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec("current_time",
            "Returns the current date, time and weekday in an IANA time zone (default UTC).",
            Map.of("type", "object", "properties",
                    Map.of("timezone", Map.of("type", "string", "description", "IANA zone such as Europe/Berlin"))));

    private final Clock clock;

    public CurrentTimeTool(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String call(Map<String, Object> input) throws ToolFailure {
        Object zone = input == null ? null : input.get("timezone");
        ZoneId zoneId;
        try {
            zoneId = zone == null ? ZoneId.of("UTC") : ZoneId.of(zone.toString());
        } catch (DateTimeException e) {
            throw new ToolFailure("unknown time zone '" + zone + "'");
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zoneId));
        return now.format(DateTimeFormatter.ofPattern("EEEE, uuuu-MM-dd HH:mm:ss xxx", java.util.Locale.ROOT))
                + " (" + zoneId + ")";
    }
}
