package io.skyrun.goals.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.skyrun.errors.ApiError;
import io.skyrun.errors.BadRequest;
import io.skyrun.goals.GoalRequests;
import io.skyrun.memory.MemoryService;
import io.skyrun.memory.MemoryType;
import io.skyrun.memory.MemoryView;
import io.skyrun.owner.Owners;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/**
 * A goal's memory: the notes, facts and artifacts its runs keep (through the {@code memory_write} tool) for
 * later runs, which the owner can read, seed and remove.
 */
@Controller("/api/v1/goals/{id}/memory")
@Tag(name = "Goal memory")
public class MemoryController {
    private final MemoryService memory;
    private final GoalRequests requests;
    private final Owners owners;

    public MemoryController(MemoryService memory, GoalRequests requests, Owners owners) {
        this.memory = memory;
        this.requests = requests;
        this.owners = owners;
    }

    /** The body of a memory write, for the API description. */
    @io.micronaut.serde.annotation.Serdeable
    public record MemoryBody(@Schema(allowableValues = {"note", "fact", "artifact"}) String type,
                             @Schema(maxLength = MemoryService.MAX_CONTENT) String content) {
    }

    @Get
    @Operation(summary = "The goal's memory entries by key, optionally of one type")
    @ApiResponse(responseCode = "404", description = "Goal not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<MemoryView> list(HttpRequest<?> request, String id,
                                 @QueryValue @Nullable @Schema(allowableValues = {"note", "fact", "artifact"}) String type) {
        MemoryType filter = type == null ? null : MemoryType.parse(type)
                .orElseThrow(() -> new BadRequest("type must be one of: " + MemoryType.allowed()));
        return memory.list(owners.of(request), id, filter).stream().map(MemoryView::of).toList();
    }

    @Put("/{key}")
    @Consumes(MediaType.ALL)
    @Operation(summary = "Write a memory entry under a key (replacing an entry with that key)",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = MemoryBody.class))))
    @ApiResponse(responseCode = "400", description = "Invalid type, key or content, or the memory is full",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @ApiResponse(responseCode = "404", description = "Goal not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public MemoryView put(HttpRequest<?> request, String id, String key, @Body @Nullable String body) {
        GoalRequests.MemoryWrite write = requests.memory(body);
        return MemoryView.of(memory.write(owners.of(request), id, write.type(), key, write.content(), null));
    }

    @Delete("/{key}")
    @Operation(summary = "Remove a memory entry")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "404", description = "Goal or entry not found",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HttpResponse<Void> delete(HttpRequest<?> request, String id, String key) {
        memory.delete(owners.of(request), id, key);
        return HttpResponse.noContent();
    }
}
