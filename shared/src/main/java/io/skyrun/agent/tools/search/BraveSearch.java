package io.skyrun.agent.tools.search;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.skyrun.agent.tools.ToolFailure;
import io.skyrun.http.OutboundClient;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brave Search: {@code GET /res/v1/web/search?q=...&count=N} with the key in {@code X-Subscription-Token};
 * hits in {@code web.results[].title/url/description} (titles and descriptions may carry HTML tags).
 */
public class BraveSearch extends JsonSearchBackend {
    static final String DEFAULT_URL = "https://api.search.brave.com";

    public BraveSearch(OutboundClient client, JsonMapper json, SearchConfig config) {
        super(client, json, config);
    }

    @Override
    public String name() {
        return "brave";
    }

    @Override
    protected OutboundClient.Request request(String query, int max) {
        URI uri = URI.create(base(DEFAULT_URL) + "/res/v1/web/search?q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&count=" + Math.min(20, Math.max(1, max)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("X-Subscription-Token", config().apiKey());
        return OutboundClient.Request.get(uri, headers);
    }

    @Override
    protected List<SearchResult> results(JsonNode body) throws ToolFailure {
        JsonNode web = body.get("web");
        if (web == null || web.isNull()) {
            return List.of();   // Brave leaves out the web section when nothing matched
        }
        List<SearchResult> out = new ArrayList<>();
        for (JsonNode hit : array(web, "results", "web.results")) {
            out.add(new SearchResult(text(hit, "title"), raw(hit, "url"), text(hit, "description")));
        }
        return out;
    }
}
