package io.skyrun.runs.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.skyrun.errors.ApiError;
import io.skyrun.errors.BadRequest;
import io.skyrun.owner.Owners;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.runs.RunView;
import io.skyrun.runs.StepView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** The runs endpoints of seed 002: list, get, steps and delete. */
@Controller("/api/v1/runs")
@Tag(name = "Runs")
public class RunController {
    private final RunService runs;
    private final Owners owners;

    public RunController(RunService runs, Owners owners) {
        this.runs = runs;
        this.owners = owners;
    }

    @Get
    @Operation(summary = "The 50 most recent runs, newest first, each with its goal")
    @ApiResponse(responseCode = "400", description = "Unknown status",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<RunView> list(HttpRequest<?> request, @QueryValue @Nullable String goalId,
                              @QueryValue @Nullable @Schema(allowableValues = {"pending", "running", "completed", "failed"})
                              String status) {
        RunStatus filter = null;
        if (status != null) {
            filter = RunStatus.parse(status)
                    .orElseThrow(() -> new BadRequest("status must be one of: " + RunStatus.allowed()));
        }
        return runs.list(owners.of(request), goalId == null || goalId.isEmpty() ? null : goalId, filter);
    }

    @Get("/{id}")
    @Operation(summary = "Get a run with its goal")
    @ApiResponse(responseCode = "404", description = "Run not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public RunView get(HttpRequest<?> request, String id) {
        return runs.view(owners.of(request), id);
    }

    @Get("/{id}/steps")
    @Operation(summary = "The run's steps in order")
    @ApiResponse(responseCode = "404", description = "Run not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<StepView> steps(HttpRequest<?> request, String id) {
        return runs.steps(owners.of(request), id).stream().map(StepView::of).toList();
    }

    @Delete("/{id}")
    @Operation(summary = "Delete a run with its steps")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "Run not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<Void> delete(HttpRequest<?> request, String id) {
        runs.delete(owners.of(request), id);
        return HttpResponse.noContent();
    }
}
