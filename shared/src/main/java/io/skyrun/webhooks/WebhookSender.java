package io.skyrun.webhooks;

import io.skyrun.http.OutboundClient;
import io.skyrun.http.OutboundGuard;
import io.skyrun.http.OutboundRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** POSTs a JSON event to a webhook URL through the outbound guard, retrying transient failures with backoff. */
public class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    static final String USER_AGENT = "skyrun-webhook/0.1";

    private final OutboundClient client;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double backoffMultiplier;

    /** What one attempt did, for delivery records. */
    public record Attempt(int number, Integer status, String error, long durationMs) {
    }

    /** Told about every attempt as it ends. */
    @FunctionalInterface
    public interface AttemptListener {
        AttemptListener NONE = attempt -> { };

        void attempted(Attempt attempt);
    }

    public WebhookSender(OutboundGuard guard, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                         Duration initialBackoff, double backoffMultiplier) {
        Objects.requireNonNull(guard, "guard");
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, was " + initialBackoff);
        }
        if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
            throw new IllegalArgumentException("backoffMultiplier must be at least 1, was " + backoffMultiplier);
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.backoffMultiplier = backoffMultiplier;
        // Connects only to the address the guard checked (no second DNS answer), and never follows a
        // redirect, which could point the signed event at another host.
        this.client = new OutboundClient(guard, positive(connectTimeout, "connectTimeout"));
    }

    /** Delivers the event without delivery records. */
    public WebhookDelivery send(URI url, String jsonBody, Map<String, String> extraHeaders) {
        return send(url, jsonBody, extraHeaders, AttemptListener.NONE);
    }

    /**
     * Delivers the event, retrying connection errors, timeouts, 408, 429 and 5xx up to {@code maxAttempts} times.
     * Never throws for delivery problems: the outcome says what happened, and the listener hears of each attempt.
     */
    public WebhookDelivery send(URI url, String jsonBody, Map<String, String> extraHeaders, AttemptListener listener) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(jsonBody, "jsonBody");
        String target = withoutQuery(url);
        OutboundClient.Request request;
        try {
            request = request(url, jsonBody, extraHeaders == null ? Map.of() : extraHeaders);
        } catch (IllegalArgumentException e) {
            LOG.warn("webhook to {} not sent: bad request: {}", target, e.getMessage());
            return new WebhookDelivery(false, 0, null, "bad request: " + e.getMessage());
        }
        int attempts = 0;
        Integer lastStatus = null;
        String lastError = null;
        Duration backoff = initialBackoff;
        while (attempts < maxAttempts) {
            boolean retryable;
            long t0 = System.nanoTime();
            try {
                // the guard checks the URL again on every attempt: the name may resolve elsewhere by then
                OutboundClient.Response response = client.exchange(request, requestTimeout, OutboundClient.BodyLimit.of(0));
                attempts++;
                int status = response.status();
                lastStatus = status;
                if (status >= 200 && status <= 299) {
                    listener.attempted(new Attempt(attempts, status, null, millisSince(t0)));
                    LOG.debug("webhook to {} delivered on attempt {} with HTTP {}", target, attempts, status);
                    return new WebhookDelivery(true, attempts, status, null);
                }
                retryable = status == 408 || status == 429 || status >= 500;
                lastError = status >= 300 && status <= 399
                        ? "HTTP " + status + " (redirects are not followed)"
                        : "HTTP " + status;
                LOG.warn("webhook attempt {}/{} to {} failed: HTTP {}", attempts, maxAttempts, target, status);
            } catch (OutboundRefused e) {
                if (!(e.getCause() instanceof UnknownHostException)) {
                    LOG.warn("webhook to {} refused: {}", target, e.getMessage());
                    return new WebhookDelivery(false, attempts, lastStatus, e.getMessage());
                }
                // a name that does not resolve may be a passing DNS failure: retried like a connection error
                attempts++;
                retryable = true;
                lastStatus = null;
                lastError = e.getMessage();
                LOG.warn("webhook attempt {}/{} to {} failed: {}", attempts, maxAttempts, target, lastError);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return new WebhookDelivery(false, attempts, lastStatus, "interrupted");
                }
                attempts++;
                retryable = true;
                lastStatus = null;
                lastError = e.getClass() == IOException.class && e.getMessage() != null ? e.getMessage()
                        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                LOG.warn("webhook attempt {}/{} to {} failed: {}", attempts, maxAttempts, target, lastError);
            }
            listener.attempted(new Attempt(attempts, lastStatus, lastError, millisSince(t0)));
            if (!retryable || attempts >= maxAttempts) {
                break;
            }
            try {
                sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new WebhookDelivery(false, attempts, lastStatus, "interrupted while waiting to retry: "
                        + lastError);
            }
            backoff = next(backoff);
        }
        return new WebhookDelivery(false, attempts, lastStatus, lastError);
    }

    private static long millisSince(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }

    /** Waits between attempts; tests override it to record the backoff instead of waiting. */
    protected void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }

    private static OutboundClient.Request request(URI url, String jsonBody, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        extraHeaders.forEach((name, value) -> {
            // set below, so that extra headers cannot change what the receiver is told the body is
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("User-Agent")) {
                headers.put(name, value);
            }
        });
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (OutboundClient.RESERVED_HEADERS.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))
                    || h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + h.getKey() + " may not be set");
            }
        }
        return new OutboundClient.Request("POST", url, headers, jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    private Duration next(Duration backoff) {
        double nanos = backoff.toNanos() * backoffMultiplier;
        return nanos >= Long.MAX_VALUE ? Duration.ofNanos(Long.MAX_VALUE) : Duration.ofNanos((long) nanos);
    }

    // Query strings of webhook URLs often carry tokens, so logs only ever see the rest.
    static String withoutQuery(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return String.valueOf(url.getScheme()) + "://" + url.getHost();
        }
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
