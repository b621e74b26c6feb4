package io.skyrun.agent.tools.search;

import io.skyrun.agent.tools.ToolFailure;

import java.util.List;

/** A web search service the {@code web_search} tool asks. */
public interface SearchBackend {
    /** Short name for messages, e.g. {@code brave}. */
    String name();

    /**
     * Searches the web.
     *
     * @param max most results wanted
     * @throws ToolFailure when the search cannot be done; the message is safe to show (no keys)
     */
    List<SearchResult> search(String query, int max) throws ToolFailure;
}
