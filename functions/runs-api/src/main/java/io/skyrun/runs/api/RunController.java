package io.skyrun.runs.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.skyrun.errors.ApiError;
import io.skyrun.errors.BadRequest;
import io.skyrun.errors.NotFound;
import io.skyrun.outputs.FileNames;
import io.skyrun.outputs.FileView;
import io.skyrun.owner.Owners;
import io.skyrun.paging.PageRequest;
import io.skyrun.paging.PagedLists;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.runs.RunView;
import io.skyrun.runs.StepView;
import io.skyrun.webhooks.DeliveryView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
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
    @Operation(summary = "Runs, newest first, each with its goal, optionally by goal and status; paged by limit "
            + "and cursor (the next page's cursor comes in the X-Next-Cursor and Link headers)")
    @ApiResponse(responseCode = "200", description = "A JSON array of runs",
            headers = {@Header(name = PagedLists.NEXT_CURSOR, description = "cursor of the next page, when there is one"),
                    @Header(name = "Link", description = "<url>; rel=\"next\", when there is a next page")})
    @ApiResponse(responseCode = "400", description = "Unknown status, limit out of range or invalid cursor",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<List<RunView>> list(HttpRequest<?> request, @QueryValue @Nullable String goalId,
            @QueryValue @Nullable @Schema(allowableValues = {"pending", "running", "completed", "failed"}) String status,
            @QueryValue @Nullable @Schema(description = "page size, 1-100, default 50") String limit,
            @QueryValue @Nullable @Schema(description = "X-Next-Cursor of the previous page") String cursor) {
        RunStatus filter = null;
        if (status != null) {
            filter = RunStatus.parse(status)
                    .orElseThrow(() -> new BadRequest("status must be one of: " + RunStatus.allowed()));
        }
        PageRequest page = PagedLists.request(limit, cursor);
        return PagedLists.respond(request,
                runs.list(owners.of(request), goalId == null || goalId.isEmpty() ? null : goalId, filter, page));
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

    @Get("/{id}/webhook-deliveries")
    @Operation(summary = "Every attempt to deliver the run's webhook event, oldest first: status, error, duration")
    @ApiResponse(responseCode = "404", description = "Run not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<DeliveryView> deliveries(HttpRequest<?> request, String id) {
        return runs.deliveries(owners.of(request), id).stream().map(DeliveryView::of).toList();
    }

    @Get("/{id}/files")
    @Operation(summary = "The files the run produced (file outputs): name, content type, size, download path")
    @ApiResponse(responseCode = "404", description = "Run not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<FileView> files(HttpRequest<?> request, String id) {
        return runs.files(owners.of(request), id).stream()
                .map(f -> FileView.of(f, "/api/v1/runs/" + id + "/files/" + f.name())).toList();
    }

    @Get(value = "/{id}/files/{name}", produces = MediaType.ALL)
    @Operation(summary = "Download one file of the run")
    @ApiResponse(responseCode = "404", description = "Run or file not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<byte[]> file(HttpRequest<?> request, String id, String name) {
        if (!FileNames.valid(name)) {
            throw new NotFound("File not found");
        }
        byte[] content = runs.file(owners.of(request), id, name);
        return HttpResponse.ok(content)
                .contentType(FileNames.contentType(name))
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("X-Content-Type-Options", "nosniff");
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
