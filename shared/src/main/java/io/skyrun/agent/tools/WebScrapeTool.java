package io.skyrun.agent.tools;

import io.skyrun.http.PageFetcher;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/** Fetches a web page and returns its readable text, through the outbound address guard. */
@Singleton
public class WebScrapeTool implements Tool {
    private static final int MAX_OBSERVATION_CHARS = 8_000;
    private static final ToolSpec SPEC = new ToolSpec("web_scrape",
            "Fetches an http(s) page and returns its title and readable text.",
            Map.of("type", "object", "required", java.util.List.of("url"), "properties",
                    Map.of("url", Map.of("type", "string", "description", "absolute http or https URL"))));

    private final PageFetcher fetcher;

    public WebScrapeTool(PageFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String call(Map<String, Object> input) throws ToolFailure {
        Object url = input == null ? null : input.get("url");
        if (!(url instanceof String text) || text.isBlank()) {
            throw new ToolFailure("web_scrape needs a 'url' string");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ToolFailure("not a valid URL: " + text);
        }
        try {
            PageFetcher.Page page = fetcher.fetch(uri);
            String body = page.text();
            boolean cut = page.truncated() || body.length() > MAX_OBSERVATION_CHARS;
            if (body.length() > MAX_OBSERVATION_CHARS) {
                body = body.substring(0, MAX_OBSERVATION_CHARS);
            }
            String title = page.title() == null || page.title().isBlank() ? "" : "Title: " + page.title() + "\n";
            return title + body + (cut ? "\n[truncated]" : "");
        } catch (IOException e) {
            throw new ToolFailure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
