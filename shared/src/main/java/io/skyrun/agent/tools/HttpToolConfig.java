package io.skyrun.agent.tools;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Settings of the {@code http_request} tool.
 *
 * @param allowedHosts     comma-separated host names the tool may call ({@code SKYRUN_HTTP_TOOL_ALLOWED_HOSTS});
 *                         {@code *.example.com} also allows every subdomain; empty refuses every call
 * @param timeout          whole time of one request, redirects each get their own
 * @param maxBytes         most response bytes read
 * @param maxRequestBytes  largest JSON body sent
 * @param maxRedirects     most redirects followed, each to an allowed host only
 */
@ConfigurationProperties("skyrun.http-tool")
public record HttpToolConfig(
        @Bindable(defaultValue = "") String allowedHosts,
        @Bindable(defaultValue = "10s") Duration timeout,
        @Bindable(defaultValue = "262144") int maxBytes,
        @Bindable(defaultValue = "65536") int maxRequestBytes,
        @Bindable(defaultValue = "3") int maxRedirects) {

    /** The allowed host patterns, lower case, without trailing dots. */
    public List<String> hosts() {
        if (allowedHosts == null) {
            return List.of();
        }
        return Arrays.stream(allowedHosts.split(","))
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .map(h -> h.endsWith(".") ? h.substring(0, h.length() - 1) : h)
                .filter(h -> !h.isEmpty())
                .toList();
    }

    /** Whether a URL host is in the list: the exact name, or a subdomain of a {@code *.} entry. */
    public boolean allows(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String allowed : hosts()) {
            if (allowed.startsWith("*.") ? h.endsWith(allowed.substring(1)) : h.equals(allowed)) {
                return true;
            }
        }
        return false;
    }
}
