package io.skyrun.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.skyrun.errors.ApiError;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits each client IP to a number of requests per minute (fixed one-minute windows) and answers
 * 429 {@code {"error": ...}} past it, with {@code Retry-After}. CORS preflights are not counted.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RateLimitFilter implements Ordered {
    private static final String REMAINING = "skyrun.rate.remaining";

    private final int limit;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitFilter(RateLimitConfig config, Clock clock) {
        this.limit = config.perMinute();
        this.clock = clock;
    }

    private static final class Window {
        final long minute;
        int count;

        Window(long minute) {
            this.minute = minute;
        }
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> limit(HttpRequest<?> request) {
        if (limit <= 0 || request.getMethodName().equals("OPTIONS")) {
            return null;
        }
        long millis = clock.millis();
        long minute = millis / 60_000;
        String ip = clientIp(request);
        int count;
        synchronized (windows) {
            Window w = windows.get(ip);
            if (w == null || w.minute != minute) {
                if (windows.size() > 10_000) {
                    windows.values().removeIf(old -> old.minute != minute);
                }
                w = new Window(minute);
                windows.put(ip, w);
            }
            count = ++w.count;
        }
        if (count > limit) {
            long retryAfter = Math.max(1, ((minute + 1) * 60_000 - millis + 999) / 1000);
            return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header("Retry-After", Long.toString(retryAfter))
                    .header("X-RateLimit-Limit", Integer.toString(limit))
                    .header("X-RateLimit-Remaining", "0")
                    .body(new ApiError("Rate limit exceeded: " + limit + " requests per minute; retry in "
                            + retryAfter + " s"));
        }
        request.setAttribute(REMAINING, limit - count);
        return null;
    }

    @ResponseFilter
    public void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(REMAINING, Integer.class).ifPresent(remaining -> {
            response.header("X-RateLimit-Limit", Integer.toString(limit));
            response.header("X-RateLimit-Remaining", Integer.toString(remaining));
        });
    }

    private static String clientIp(HttpRequest<?> request) {
        InetSocketAddress address = request.getRemoteAddress();
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }

    /** Forgets every client's count, for a copy restored from a SnapStart snapshot: the counts are not its own. */
    public void forgetCounts() {
        synchronized (windows) {
            windows.clear();
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 100;
    }
}
