package io.skyrun.agent.tools.search;

import io.micronaut.context.annotation.Factory;
import io.micronaut.json.JsonMapper;
import io.skyrun.http.OutboundClient;
import io.skyrun.http.OutboundConfig;
import io.skyrun.http.OutboundGuard;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Chooses the search backend from {@link SearchConfig}.
 *
 * <p>A base URL set in {@code SKYRUN_SEARCH_URL} is the operator's choice, not the agent's (the agent only
 * supplies the query), so calls to it are exempt from the private-address refusal: a SearXNG on localhost or
 * on the private network is the usual setup. They are still pinned to the address resolved for them, never
 * follow redirects, and the URL must be http(s) without credentials. The public default endpoints of brave and
 * tavily go through the normal guard.
 */
@Factory
public class SearchBackends {
    private static final Logger LOG = LoggerFactory.getLogger(SearchBackends.class);
    static final String PROVIDERS = "searxng, brave or tavily";

    @Singleton
    SearchBackend searchBackend(SearchConfig config, OutboundGuard guard, OutboundConfig outbound, JsonMapper json) {
        SearchBackend backend = create(config, guard, outbound.connectTimeout(), json);
        if (backend instanceof UnavailableSearch unavailable && !"none".equals(normalized(config.provider()))) {
            LOG.warn("web_search is not usable: {}", unavailable.reason());
        }
        return backend;
    }

    /** The backend for the configuration; one that explains the problem when the configuration is incomplete. */
    public static SearchBackend create(SearchConfig config, OutboundGuard guard, Duration connectTimeout,
                                       JsonMapper json) {
        String provider = normalized(config.provider());
        boolean hasUrl = config.url() != null && !config.url().isBlank();
        boolean hasKey = config.apiKey() != null && !config.apiKey().isBlank();
        if (provider.equals("none")) {
            return new UnavailableSearch("web_search is not available: no search backend is configured (set "
                    + "SKYRUN_SEARCH_PROVIDER to " + PROVIDERS + ")");
        }
        if (!provider.equals("searxng") && !provider.equals("brave") && !provider.equals("tavily")) {
            return new UnavailableSearch("web_search is not available: unknown SKYRUN_SEARCH_PROVIDER '" + provider
                    + "' (use none, " + PROVIDERS + ")");
        }
        if (provider.equals("searxng") && !hasUrl) {
            return new UnavailableSearch("web_search is not available: SKYRUN_SEARCH_PROVIDER=searxng needs "
                    + "SKYRUN_SEARCH_URL, the base URL of the SearXNG instance");
        }
        if (!provider.equals("searxng") && !hasKey) {
            return new UnavailableSearch("web_search is not available: SKYRUN_SEARCH_PROVIDER=" + provider
                    + " needs SKYRUN_SEARCH_API_KEY");
        }
        if (hasUrl) {
            String problem = badUrl(config.url().strip());
            if (problem != null) {
                return new UnavailableSearch("web_search is not available: SKYRUN_SEARCH_URL " + problem);
            }
        }
        OutboundClient client = new OutboundClient(hasUrl ? new OutboundGuard(true) : guard, connectTimeout);
        return switch (provider) {
            case "searxng" -> new SearxngSearch(client, json, config);
            case "brave" -> new BraveSearch(client, json, config);
            default -> new TavilySearch(client, json, config);
        };
    }

    private static String badUrl(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return "must be an absolute http(s) URL";
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
                return "must not carry credentials or a query";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "is not a valid URL";
        }
    }

    private static String normalized(String provider) {
        return provider == null || provider.isBlank() ? "none" : provider.strip().toLowerCase(Locale.ROOT);
    }
}
