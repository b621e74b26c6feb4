package io.skyrun.agent.tools;

import io.skyrun.agent.tools.search.SearchBackend;
import io.skyrun.agent.tools.search.SearchConfig;
import io.skyrun.agent.tools.search.SearchResult;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * The {@code web_search} tool: asks the configured search backend and returns a numbered list of title, URL and
 * snippet. Without a backend every call fails with an error saying how to configure one.
 */
@Singleton
public class WebSearchTool implements Tool {
    static final int MAX_QUERY_CHARS = 400;
    static final int MAX_OBSERVATION_CHARS = 8_000;
    private static final ToolSpec SPEC = new ToolSpec("web_search",
            "Searches the web for a query and returns result titles, URLs and snippets.",
            Map.of("type", "object", "required", List.of("query"), "properties",
                    Map.of("query", Map.of("type", "string", "description", "what to search for"),
                            "max_results", Map.of("type", "integer", "minimum", 1,
                                    "description", "most results wanted (capped by the server's setting)"))));

    private final SearchBackend backend;
    private final int maxResults;

    public WebSearchTool(SearchBackend backend, SearchConfig config) {
        this.backend = backend;
        this.maxResults = Math.max(1, config.maxResults());
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String call(Map<String, Object> input) throws ToolFailure {
        Object query = input == null ? null : input.get("query");
        if (!(query instanceof String text) || text.isBlank()) {
            throw new ToolFailure("web_search needs a 'query' string");
        }
        String q = text.strip();
        if (q.length() > MAX_QUERY_CHARS) {
            throw new ToolFailure("web_search query is longer than " + MAX_QUERY_CHARS + " characters");
        }
        int max = maxResults;
        Object wanted = input.get("max_results");
        if (wanted instanceof Number n && n.intValue() >= 1) {
            max = Math.min(maxResults, n.intValue());
        }
        List<SearchResult> results = backend.search(q, max);
        if (results.isEmpty()) {
            return "No results for \"" + q + "\".";
        }
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (SearchResult r : results) {
            StringBuilder entry = new StringBuilder();
            entry.append(shown + 1).append(". ").append(r.title().isBlank() ? "(no title)" : r.title()).append('\n')
                    .append("   ").append(r.url()).append('\n');
            if (!r.snippet().isBlank()) {
                entry.append("   ").append(r.snippet()).append('\n');
            }
            if (out.length() + entry.length() > MAX_OBSERVATION_CHARS) {
                out.append("[").append(results.size() - shown).append(" more results left out: size limit]\n");
                break;
            }
            out.append(entry);
            shown++;
        }
        return out.toString().stripTrailing();
    }
}
