package io.skyrun.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.agent.ModelSettings;
import io.skyrun.owner.Owners;
import io.skyrun.schedule.ScheduleRepository;
import io.skyrun.time.Timestamps;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** {@code /health} and {@code /health/ready}, answered by every API function. */
@Controller
@Tag(name = "Health")
public class HealthController {
    private static final Logger LOG = LoggerFactory.getLogger(HealthController.class);

    private final ModelSettings model;
    private final ScheduleRepository schedules;
    private final Owners owners;
    private final Clock clock;

    public HealthController(ModelSettings model, ScheduleRepository schedules, Owners owners, Clock clock) {
        this.model = model;
        this.schedules = schedules;
        this.owners = owners;
        this.clock = clock;
    }

    /** Liveness. */
    @Serdeable.Serializable
    public record Health(String status, String timestamp) {
    }

    /** Readiness: model in use and active schedules. */
    @Serdeable.Serializable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ready(String status, String provider, String model, SchedulerInfo scheduler, String timestamp,
                        String error) {
    }

    /** Scheduler part of the readiness answer. */
    @Serdeable.Serializable
    public record SchedulerInfo(long activeSchedules) {
    }

    @Get("/health")
    @Operation(summary = "Liveness check")
    public Health health() {
        return new Health("ok", Timestamps.format(clock.instant()));
    }

    @Get("/health/ready")
    @Operation(summary = "Readiness: model provider, model and active schedules; 503 when storage is unreachable "
            + "or the model provider is misconfigured (the reason is in error)")
    public HttpResponse<Ready> ready(HttpRequest<?> request) {
        String now = Timestamps.format(clock.instant());
        long active;
        try {
            active = schedules.countActive(owners.of(request));
        } catch (RuntimeException e) {
            LOG.warn("Readiness check failed", e);
            return HttpResponse.<Ready>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new Ready("not_ready", model.providerName(), model.model(), null, now, "storage unavailable"));
        }
        SchedulerInfo scheduler = new SchedulerInfo(active);
        if (model.problem().isPresent()) {
            return HttpResponse.<Ready>status(HttpStatus.SERVICE_UNAVAILABLE).body(new Ready("not_ready",
                    model.providerName(), model.model(), scheduler, now, model.problem().get()));
        }
        return HttpResponse.ok(new Ready("ready", model.providerName(), model.model(), scheduler, now, null));
    }
}
