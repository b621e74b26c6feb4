package io.skyrun.memory;

import io.skyrun.agent.tools.Tool;
import io.skyrun.agent.tools.ToolContext;
import io.skyrun.agent.tools.ToolFailure;
import io.skyrun.agent.tools.ToolSpec;
import io.skyrun.errors.BadRequest;
import io.skyrun.errors.NotFound;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * The memory tools: {@code memory_write} keeps a note, fact or artifact under a key for later runs of the
 * same goal; {@code memory_read} reads entries back. Both act only on the run's own goal.
 */
@Factory
public class MemoryTools {
    static final int LIST_EXCERPT = 300;

    @Singleton
    Tool memoryWrite(MemoryService memory) {
        return new GoalTool(new ToolSpec("memory_write",
                "Saves a note, fact or artifact in this goal's memory under a key, replacing an earlier entry "
                        + "with that key. Later runs of the goal see it.",
                Map.of("type", "object", "required", List.of("type", "key", "content"), "properties", Map.of(
                        "type", Map.of("type", "string", "enum", List.of("note", "fact", "artifact")),
                        "key", Map.of("type", "string", "description",
                                "short name: letters, digits, '_', '.', ':' or '-', at most 100"),
                        "content", Map.of("type", "string", "description", "at most 8000 characters")))),
                (input, context) -> {
                    MemoryEntry stored = memory.write(context.ownerId(), context.goalId(), text(input, "type"),
                            text(input, "key"), text(input, "content"), context.runId());
                    return "Saved " + stored.type().wire() + " '" + stored.key() + "' (" + stored.content().length()
                            + " characters).";
                });
    }

    @Singleton
    Tool memoryRead(MemoryService memory) {
        return new GoalTool(new ToolSpec("memory_read",
                "Reads this goal's memory: one entry in full by key, or a list of entries (optionally of one type).",
                Map.of("type", "object", "properties", Map.of(
                        "key", Map.of("type", "string", "description", "read this entry in full"),
                        "type", Map.of("type", "string", "enum", List.of("note", "fact", "artifact"))))),
                (input, context) -> {
                    String key = text(input, "key");
                    if (key != null) {
                        return memory.find(context.ownerId(), context.goalId(), key)
                                .map(e -> "[" + e.type().wire() + "] " + e.key() + ":\n" + e.content())
                                .orElse("No memory entry named '" + key + "'.");
                    }
                    String type = text(input, "type");
                    MemoryType kind = type == null ? null : MemoryType.parse(type).orElseThrow(
                            () -> new BadRequest("type must be one of: " + MemoryType.allowed()));
                    List<MemoryEntry> entries = memory.list(context.ownerId(), context.goalId(), kind);
                    if (entries.isEmpty()) {
                        return kind == null ? "This goal's memory is empty." : "No " + kind.wire() + " entries.";
                    }
                    StringBuilder out = new StringBuilder();
                    for (MemoryEntry e : entries) {
                        out.append('[').append(e.type().wire()).append("] ").append(e.key()).append(": ")
                                .append(excerpt(e.content(), LIST_EXCERPT)).append('\n');
                    }
                    return out.toString().strip();
                });
    }

    /** Renders entries for a prompt: one line each, cut to fit {@code maxChars} in total. */
    public static String summary(List<MemoryEntry> entries, int maxChars) {
        StringBuilder out = new StringBuilder();
        for (MemoryEntry e : entries) {
            String line = "[" + e.type().wire() + "] " + e.key() + ": " + excerpt(e.content(), LIST_EXCERPT) + "\n";
            if (out.length() + line.length() > maxChars) {
                out.append("(more entries: read them with memory_read)\n");
                break;
            }
            out.append(line);
        }
        return out.toString().strip();
    }

    private static String excerpt(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }

    private static String text(Map<String, Object> input, String name) {
        Object value = input == null ? null : input.get(name);
        return value == null ? null : value.toString();
    }

    /** What a memory tool does with its input, for the run's goal. */
    interface Action {
        String apply(Map<String, Object> input, ToolContext context);
    }

    /** A tool bound to the run's goal: it cannot be called without one. */
    static final class GoalTool implements Tool {
        private final ToolSpec spec;
        private final Action action;

        GoalTool(ToolSpec spec, Action action) {
            this.spec = spec;
            this.action = action;
        }

        @Override
        public ToolSpec spec() {
            return spec;
        }

        @Override
        public String call(Map<String, Object> input) throws ToolFailure {
            throw new ToolFailure(spec.name() + " works only inside a goal's run");
        }

        @Override
        public String call(Map<String, Object> input, ToolContext context) throws ToolFailure {
            if (context == null || context.goalId() == null) {
                return call(input);
            }
            try {
                return action.apply(input, context);
            } catch (BadRequest | NotFound e) {
                throw new ToolFailure(e.getMessage());
            }
        }
    }
}
