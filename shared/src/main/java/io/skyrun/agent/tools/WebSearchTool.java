package io.skyrun.agent.tools;

import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The {@code web_search} tool. No search backend exists yet (it arrives with the real-agent issue),
 * so every call fails with an error the agent sees as its observation; the name is known so goals
 * written against seed 002 validate.
 */
@Singleton
public class WebSearchTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec("web_search",
            "Searches the web for a query and returns result titles, URLs and snippets.",
            Map.of("type", "object", "required", java.util.List.of("query"), "properties",
                    Map.of("query", Map.of("type", "string"))));

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String call(Map<String, Object> input) throws ToolFailure {
        throw new ToolFailure("web_search is not available: no search backend is configured");
    }
}
