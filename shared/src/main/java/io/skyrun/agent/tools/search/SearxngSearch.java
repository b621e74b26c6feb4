package io.skyrun.agent.tools.search;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.skyrun.agent.tools.ToolFailure;
import io.skyrun.http.OutboundClient;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A SearXNG instance: {@code GET /search?q=...&format=json}, hits in {@code results[].title/url/content}. */
public class SearxngSearch extends JsonSearchBackend {
    public SearxngSearch(OutboundClient client, JsonMapper json, SearchConfig config) {
        super(client, json, config);
    }

    @Override
    public String name() {
        return "searxng";
    }

    @Override
    protected OutboundClient.Request request(String query, int max) {
        URI uri = URI.create(base(null) + "/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&format=json");
        return OutboundClient.Request.get(uri, Map.of("Accept", "application/json"));
    }

    @Override
    protected String hint(int status) {
        // SearXNG answers 403 to format=json unless its settings.yml lists json under search.formats
        return status == 403 ? " (is 'json' listed under search.formats in the instance's settings.yml?)" : "";
    }

    @Override
    protected List<SearchResult> results(JsonNode body) throws ToolFailure {
        List<SearchResult> out = new ArrayList<>();
        for (JsonNode hit : array(body, "results", "results")) {
            out.add(new SearchResult(text(hit, "title"), raw(hit, "url"), text(hit, "content")));
        }
        return out;
    }
}
