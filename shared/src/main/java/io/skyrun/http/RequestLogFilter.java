package io.skyrun.http;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs one line per request: method, path, status and time taken. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestLogFilter implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger("io.skyrun.requests");
    private static final String STARTED = "skyrun.started";

    @RequestFilter
    public void start(HttpRequest<?> request) {
        request.setAttribute(STARTED, System.nanoTime());
    }

    @ResponseFilter
    public void log(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long started = request.getAttribute(STARTED, Long.class).orElse(System.nanoTime());
        LOG.info("{} {} -> {} in {} ms", request.getMethodName(), request.getPath(), response.code(),
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
