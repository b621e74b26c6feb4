package io.skyrun.webhooks;

import io.skyrun.http.OutboundGuard;
import io.skyrun.http.OutboundRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** POSTs a JSON event to a webhook URL through the outbound guard, retrying transient failures with backoff. */
public class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    static final String USER_AGENT = "skyrun-webhook/0.1";

    private final OutboundGuard guard;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double backoffMultiplier;
    private final HttpClient client;

    public WebhookSender(OutboundGuard guard, Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                         Duration initialBackoff, double backoffMultiplier) {
        this.guard = Objects.requireNonNull(guard, "guard");
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
        // A redirect could point the signed event at another host, so 3xx is never followed.
        this.client = HttpClient.newBuilder()
                .connectTimeout(positive(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Delivers the event, retrying connection errors, timeouts, 408, 429 and 5xx up to {@code maxAttempts} times.
     * Never throws for delivery problems: the outcome says what happened.
     */
    public WebhookDelivery send(URI url, String jsonBody, Map<String, String> extraHeaders) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(jsonBody, "jsonBody");
        String target = withoutQuery(url);
        HttpRequest request = null;
        int attempts = 0;
        Integer lastStatus = null;
        String lastError = null;
        Duration backoff = initialBackoff;
        while (attempts < maxAttempts) {
            try {
                // Checked before every attempt: the name may resolve elsewhere by the time of a retry.
                guard.check(url);
            } catch (OutboundRefused e) {
                if (!(e.getCause() instanceof UnknownHostException)) {
                    LOG.warn("webhook to {} refused: {}", target, e.getMessage());
                    return new WebhookDelivery(false, attempts, lastStatus, e.getMessage());
                }
                // a name that does not resolve may be a passing DNS failure: retried like a connection error
                attempts++;
                lastStatus = null;
                lastError = e.getMessage();
                LOG.warn("webhook attempt {}/{} to {} failed: {}", attempts, maxAttempts, target, lastError);
                if (attempts >= maxAttempts) {
                    break;
                }
                try {
                    sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return new WebhookDelivery(false, attempts, null, "interrupted while waiting to retry: " + lastError);
                }
                backoff = next(backoff);
                continue;
            }
            if (request == null) {
                // Built only after the guard passed, so a refused URL is reported as refused, not as malformed.
                try {
                    request = request(url, jsonBody, extraHeaders == null ? Map.of() : extraHeaders);
                } catch (IllegalArgumentException e) {
                    LOG.warn("webhook to {} not sent: bad request: {}", target, e.getMessage());
                    return new WebhookDelivery(false, 0, null, "bad request: " + e.getMessage());
                }
            }
            attempts++;
            boolean retryable;
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                // The receiver's body is of no use here; closing at once keeps a chatty receiver from holding us.
                response.body().close();
                int status = response.statusCode();
                lastStatus = status;
                if (status >= 200 && status <= 299) {
                    LOG.debug("webhook to {} delivered on attempt {} with HTTP {}", target, attempts, status);
                    return new WebhookDelivery(true, attempts, status, null);
                }
                retryable = status == 408 || status == 429 || status >= 500;
                lastError = status >= 300 && status <= 399
                        ? "HTTP " + status + " (redirects are not followed)"
                        : "HTTP " + status;
                LOG.warn("webhook attempt {}/{} to {} failed: HTTP {}", attempts, maxAttempts, target, status);
            } catch (IOException e) {
                retryable = true;
                lastStatus = null;
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                LOG.warn("webhook attempt {}/{} to {} failed: {}", attempts, maxAttempts, target, lastError);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new WebhookDelivery(false, attempts, lastStatus, "interrupted");
            }
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

    /** Waits between attempts; tests override it to record the backoff instead of waiting. */
    protected void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }

    private HttpRequest request(URI url, String jsonBody, Map<String, String> extraHeaders) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        extraHeaders.forEach(builder::header);
        // Set last so that extra headers cannot change what the receiver is told the body is.
        return builder
                .setHeader("Content-Type", "application/json")
                .setHeader("User-Agent", USER_AGENT)
                .build();
    }

    private Duration next(Duration backoff) {
        double nanos = backoff.toNanos() * backoffMultiplier;
        return nanos >= Long.MAX_VALUE ? Duration.ofNanos(Long.MAX_VALUE) : Duration.ofNanos((long) nanos);
    }

    // Query strings of webhook URLs often carry tokens, so logs only ever see the rest.
    private static String withoutQuery(URI url) {
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
