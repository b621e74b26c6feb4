package io.skyrun.agent.tools.search;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.json.JsonMapper;
import io.skyrun.agent.tools.ToolFailure;
import io.skyrun.http.OutboundClient;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tavily: {@code POST /search} with a JSON body {@code {"query", "max_results", "api_key"}}; the key also goes in
 * {@code Authorization: Bearer} (Tavily's newer form). Hits in {@code results[].title/url/content}.
 */
public class TavilySearch extends JsonSearchBackend {
    static final String DEFAULT_URL = "https://api.tavily.com";

    public TavilySearch(OutboundClient client, JsonMapper json, SearchConfig config) {
        super(client, json, config);
    }

    @Override
    public String name() {
        return "tavily";
    }

    @Override
    protected OutboundClient.Request request(String query, int max) throws ToolFailure {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("max_results", Math.min(20, Math.max(1, max)));
        body.put("api_key", config().apiKey());
        byte[] bytes;
        try {
            bytes = json().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new ToolFailure("cannot build the tavily request");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Bearer " + config().apiKey());
        return new OutboundClient.Request("POST", URI.create(base(DEFAULT_URL) + "/search"), headers, bytes);
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
