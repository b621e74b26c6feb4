package io.skyrun.goals.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.skyrun.errors.ApiError;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.goals.GoalStatus;
import io.skyrun.goals.GoalView;
import io.skyrun.goals.GoalWithSchedulesView;
import io.skyrun.goals.Message;
import io.skyrun.owner.Owners;
import io.skyrun.paging.PageRequest;
import io.skyrun.paging.PagedLists;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunTriggered;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** The goals endpoints of seed 002: CRUD, run, pause and resume. */
@Controller("/api/v1/goals")
@Tag(name = "Goals")
public class GoalController {
    private final GoalService goals;
    private final GoalRequests requests;
    private final RunService runs;
    private final Owners owners;

    public GoalController(GoalService goals, GoalRequests requests, RunService runs, Owners owners) {
        this.goals = goals;
        this.requests = requests;
        this.runs = runs;
        this.owners = owners;
    }

    @Post
    @Consumes(MediaType.ALL)
    @Status(HttpStatus.CREATED)
    @Operation(summary = "Create a goal, optionally with a cron schedule",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreateGoalBody.class))))
    @ApiResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = CreatedGoalView.class)))
    @ApiResponse(responseCode = "400", description = "Invalid body",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CreatedGoalView create(HttpRequest<?> request, @Body @Nullable String body) {
        GoalService.Created created = goals.createWithSecret(owners.of(request), requests.create(body));
        return CreatedGoalView.of(created.goal(), created.webhookSecret());
    }

    @Post("/{id}/webhook-secret")
    @Consumes(MediaType.ALL)
    @Operation(summary = "Replace the goal's webhook signing secret; the new secret is shown once, in this answer")
    @ApiResponse(responseCode = "404", description = "Goal not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public WebhookSecretView rotateWebhookSecret(HttpRequest<?> request, String id) {
        return new WebhookSecretView(goals.rotateWebhookSecret(owners.of(request), id));
    }

    @Get
    @Operation(summary = "List goals, newest first, optionally by status; paged by limit and cursor (the next "
            + "page's cursor comes in the X-Next-Cursor and Link headers)")
    @ApiResponse(responseCode = "200", description = "A JSON array of goals",
            headers = {@Header(name = PagedLists.NEXT_CURSOR, description = "cursor of the next page, when there is one"),
                    @Header(name = "Link", description = "<url>; rel=\"next\", when there is a next page")})
    @ApiResponse(responseCode = "400", description = "Unknown status, limit out of range or invalid cursor",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<List<GoalView>> list(HttpRequest<?> request,
            @QueryValue @Nullable @Schema(allowableValues = {"active", "paused", "archived"}) String status,
            @QueryValue @Nullable @Schema(description = "page size, 1-100, default 50") String limit,
            @QueryValue @Nullable @Schema(description = "X-Next-Cursor of the previous page") String cursor) {
        GoalStatus filter = status == null ? null : GoalRequests.status(status, "status");
        PageRequest page = PagedLists.request(limit, cursor);
        return PagedLists.respond(request, goals.list(owners.of(request), filter, page).map(GoalView::of));
    }

    @Get("/{id}")
    @Operation(summary = "Get a goal with its schedules")
    @ApiResponse(responseCode = "404", description = "Goal not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public GoalWithSchedulesView get(HttpRequest<?> request, String id) {
        String owner = owners.of(request);
        Goal goal = goals.get(owner, id);
        return GoalWithSchedulesView.of(goal, goals.schedules(owner, id));
    }

    @Patch("/{id}")
    @Consumes(MediaType.ALL)
    @Operation(summary = "Update a goal's objective, params, webhookUrl or status",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UpdateGoalBody.class))))
    @ApiResponse(responseCode = "404", description = "Goal not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public GoalView update(HttpRequest<?> request, String id, @Body @Nullable String body) {
        GoalRequests.GoalPatch patch = requests.patch(body);
        return GoalView.of(goals.update(owners.of(request), id, patch));
    }

    @Delete("/{id}")
    @Operation(summary = "Delete a goal with its schedules, runs and steps")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "Goal not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<Void> delete(HttpRequest<?> request, String id) {
        goals.delete(owners.of(request), id);
        return HttpResponse.noContent();
    }

    @Post("/{id}/run")
    @Consumes(MediaType.ALL)
    @Operation(summary = "Trigger a run now; the body is ignored and may be empty")
    @ApiResponse(responseCode = "400", description = "Goal is paused",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public RunTriggered run(HttpRequest<?> request, String id) {
        Run run = runs.trigger(owners.of(request), id);
        return new RunTriggered(run.id(), "Run triggered");
    }

    @Post("/{id}/pause")
    @Consumes(MediaType.ALL)
    @Operation(summary = "Pause a goal and its schedules")
    public Message pause(HttpRequest<?> request, String id) {
        goals.pause(owners.of(request), id);
        return new Message("Goal paused");
    }

    @Post("/{id}/resume")
    @Consumes(MediaType.ALL)
    @Operation(summary = "Resume a paused goal and its schedules")
    public Message resume(HttpRequest<?> request, String id) {
        goals.resume(owners.of(request), id);
        return new Message("Goal resumed");
    }
}
