package io.skyrun.agent.tools.search;

import io.skyrun.agent.tools.ToolFailure;

import java.util.List;

/** Stands in when no usable backend is configured: every search fails with the reason and how to fix it. */
public record UnavailableSearch(String reason) implements SearchBackend {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public List<SearchResult> search(String query, int max) throws ToolFailure {
        throw new ToolFailure(reason);
    }
}
