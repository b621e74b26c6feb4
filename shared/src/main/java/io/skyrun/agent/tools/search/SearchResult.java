package io.skyrun.agent.tools.search;

/** One search hit: plain-text title and snippet, and the page's URL. */
public record SearchResult(String title, String url, String snippet) {
}
