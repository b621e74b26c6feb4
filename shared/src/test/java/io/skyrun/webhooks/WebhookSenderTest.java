package io.skyrun.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.skyrun.http.OutboundGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

// Talks only to an HttpServer it starts on 127.0.0.1 with an ephemeral port; backoff sleeps are recorded, not waited.
class WebhookSenderTest {

    private static final String EVENT = "{\"event\":\"run.finished\",\"runId\":\"r-1\",\"note\":\"café\"}";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private HttpServer server;
    private ExecutorService executor;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private record Received(String method, String path, String contentType, String userAgent, String signature,
                            String body) {
    }

    /** A sender whose backoff is recorded instead of slept, so retries cost no wall-clock time. */
    private static final class RecordingSender extends WebhookSender {
        final List<Duration> sleeps = new ArrayList<>();

        RecordingSender(OutboundGuard guard, Duration requestTimeout, int maxAttempts, Duration initialBackoff) {
            super(guard, CONNECT_TIMEOUT, requestTimeout, maxAttempts, initialBackoff, 2.0);
        }

        @Override
        protected void sleep(Duration d) {
            sleeps.add(d);
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // Handlers run on their own threads so a hanging handler cannot block the server from stopping.
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void a200IsDeliveredOnceWithTheExactJsonBodyAndContentType() {
        // GIVEN a receiver that accepts
        answer(attempt -> 200);
        RecordingSender sender = sender(3);

        // WHEN an event is sent with an extra header
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of("X-Skyrun-Signature", "sha256=abc"));

        // THEN it arrives once, as JSON, byte for byte
        assertThat(delivery).isEqualTo(new WebhookDelivery(true, 1, 200, null));
        assertThat(received).hasSize(1);
        Received request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo(EVENT);
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.userAgent()).isEqualTo("skyrun-webhook/0.1");
        assertThat(request.signature()).isEqualTo("sha256=abc");
    }

    @Test
    void extraHeadersCannotOverrideTheContentType() {
        // GIVEN a receiver that accepts
        answer(attempt -> 200);
        RecordingSender sender = sender(3);

        // WHEN an extra header tries to change the content type
        sender.send(hook(), EVENT, Map.of("Content-Type", "text/plain"));

        // THEN the receiver still sees JSON
        assertThat(received.get(0).contentType()).isEqualTo("application/json");
    }

    @Test
    void a500IsRetriedUntilTheThirdAttemptSucceeds() {
        // GIVEN a receiver that fails twice, then accepts
        answer(attempt -> attempt < 3 ? 500 : 200);
        RecordingSender sender = sender(5);

        // WHEN an event is sent
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN it is delivered on the third attempt
        assertThat(delivery).isEqualTo(new WebhookDelivery(true, 3, 200, null));
        assertThat(received).hasSize(3);
    }

    @Test
    void aPermanent500GivesUpAfterMaxAttempts() {
        // GIVEN a receiver that always fails
        answer(attempt -> 500);
        RecordingSender sender = sender(4);

        // WHEN an event is sent
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN it gives up after four attempts, reporting the last status
        assertThat(delivery).isEqualTo(new WebhookDelivery(false, 4, 500, "HTTP 500"));
        assertThat(received).hasSize(4);
    }

    @Test
    void a400IsNotRetried() {
        // GIVEN a receiver that rejects the event
        answer(attempt -> 400);
        RecordingSender sender = sender(4);

        // WHEN an event is sent
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN it gives up at once
        assertThat(delivery).isEqualTo(new WebhookDelivery(false, 1, 400, "HTTP 400"));
        assertThat(received).hasSize(1);
        assertThat(sender.sleeps).isEmpty();
    }

    @Test
    void a429IsRetried() {
        // GIVEN a receiver that throttles once, then accepts
        answer(attempt -> attempt == 1 ? 429 : 200);
        RecordingSender sender = sender(3);

        // WHEN an event is sent
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN the second attempt delivers it
        assertThat(delivery).isEqualTo(new WebhookDelivery(true, 2, 200, null));
        assertThat(received).hasSize(2);
    }

    @Test
    void a408IsRetried() {
        // GIVEN a receiver that times out once, then accepts
        answer(attempt -> attempt == 1 ? 408 : 200);
        RecordingSender sender = sender(3);

        // WHEN an event is sent
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN the second attempt delivers it
        assertThat(delivery.delivered()).isTrue();
        assertThat(delivery.attempts()).isEqualTo(2);
    }

    @Test
    void a302IsNeitherFollowedNorRetried() {
        // GIVEN a receiver that redirects elsewhere on the same server
        server.createContext("/hook", exchange -> {
            record(exchange);
            exchange.getResponseHeaders().set("Location", "/elsewhere");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/elsewhere", exchange -> {
            record(exchange);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        RecordingSender sender = sender(3);

        // WHEN an event is sent
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN it fails after the one request and the redirect target is never called
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.lastStatus()).isEqualTo(302);
        assertThat(received).extracting(Received::path).containsExactly("/hook");
    }

    @Test
    void aNameThatFailsToResolveIsRetriedLikeAConnectionError() {
        // GIVEN a guard whose first lookup fails, as a passing DNS failure does, and a receiver that answers 200
        answer(attempt -> 200);
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        OutboundGuard flakyDns = new OutboundGuard(true) {
            @Override
            protected InetAddress[] resolve(String host) throws java.net.UnknownHostException {
                if (lookups.incrementAndGet() == 1) {
                    throw new java.net.UnknownHostException(host);
                }
                return super.resolve(host);
            }
        };
        RecordingSender sender = new RecordingSender(flakyDns, REQUEST_TIMEOUT, 3, Duration.ofMillis(100));

        // WHEN an event is sent
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN the second attempt delivers it, after one backoff
        assertThat(delivery.delivered()).isTrue();
        assertThat(delivery.attempts()).isEqualTo(2);
        assertThat(received).hasSize(1);
        assertThat(sender.sleeps).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void loopbackIsRefusedWhenPrivateAddressesAreNotAllowedAndTheReceiverSeesNothing() {
        // GIVEN a receiver on loopback and a guard that refuses private addresses
        answer(attempt -> 200);
        RecordingSender sender = new RecordingSender(new OutboundGuard(false), REQUEST_TIMEOUT, 3, Duration.ofMillis(100));

        // WHEN an event is sent to it
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN nothing is sent, nothing is retried, and the refusal is the error
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.attempts()).isZero();
        assertThat(delivery.lastStatus()).isNull();
        assertThat(delivery.lastError()).startsWith("refused to call 127.0.0.1: private address");
        assertThat(received).isEmpty();
        assertThat(sender.sleeps).isEmpty();
    }

    @Test
    void theBackoffDoublesBetweenAttempts() {
        // GIVEN a receiver that always fails
        answer(attempt -> 503);
        RecordingSender sender = sender(4);

        // WHEN an event is sent
        sender.send(hook(), EVENT, Map.of());

        // THEN the waits double from the initial backoff, with none after the last attempt
        assertThat(sender.sleeps).containsExactly(
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void aReceiverThatHangsPastTheRequestTimeoutCountsAsAFailedAttemptAndIsRetried() {
        // GIVEN a receiver that hangs on the first request and accepts the second
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/hook", exchange -> {
            record(exchange);
            if (calls.incrementAndGet() == 1) {
                sleepQuietly(Duration.ofSeconds(5));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        RecordingSender sender = new RecordingSender(new OutboundGuard(true), Duration.ofMillis(300), 3,
                Duration.ofMillis(100));

        // WHEN an event is sent
        long started = System.nanoTime();
        WebhookDelivery delivery = sender.send(hook(), EVENT, Map.of());

        // THEN the first attempt times out and the second delivers
        assertThat(delivery).isEqualTo(new WebhookDelivery(true, 2, 200, null));
        assertThat(received).hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aConnectionErrorIsRetriedAndReported() throws IOException {
        // GIVEN a port where nothing listens any more
        int port;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = gone.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/hook");
        RecordingSender sender = sender(2);

        // WHEN an event is sent there
        WebhookDelivery delivery = sender.send(closed, EVENT, Map.of());

        // THEN both attempts fail without a status and the error names the failure
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.attempts()).isEqualTo(2);
        assertThat(delivery.lastStatus()).isNull();
        assertThat(delivery.lastError()).contains("cannot connect").contains("Connection refused");
    }

    @Test
    void anInterruptStopsRetryingAndKeepsTheInterruptFlag() {
        // GIVEN a receiver that always fails and a sender interrupted while waiting to retry
        answer(attempt -> 500);
        WebhookSender sender = new WebhookSender(new OutboundGuard(true), CONNECT_TIMEOUT, REQUEST_TIMEOUT, 5,
                Duration.ofMillis(100), 2.0) {
            @Override
            protected void sleep(Duration d) throws InterruptedException {
                throw new InterruptedException("shutting down");
            }
        };

        // WHEN an event is sent
        WebhookDelivery delivery;
        try {
            delivery = sender.send(hook(), EVENT, Map.of());
        } finally {
            // THEN the interrupt flag is restored (read and cleared here so it cannot leak into other tests)
            assertThat(Thread.interrupted()).isTrue();
        }
        // AND it stopped after the first attempt
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(received).hasSize(1);
    }

    private RecordingSender sender(int maxAttempts) {
        return new RecordingSender(new OutboundGuard(true), REQUEST_TIMEOUT, maxAttempts, Duration.ofMillis(100));
    }

    private URI hook() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=t0ps3cret");
    }

    /** Answers the n-th request (counting from 1) with the status the script gives for n. */
    private void answer(IntUnaryOperator statusForAttempt) {
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/hook", exchange -> {
            record(exchange);
            exchange.sendResponseHeaders(statusForAttempt.applyAsInt(calls.incrementAndGet()), -1);
            exchange.close();
        });
    }

    private void record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("User-Agent"),
                exchange.getRequestHeaders().getFirst("X-Skyrun-Signature"),
                body));
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aWebhookGoesToTheCheckedAddressEvenWhenTheNameIsReboundToAPrivateOne() {
        try (io.skyrun.testing.RebindingDns dns = new io.skyrun.testing.RebindingDns("application/json", "{}")) {
            WebhookSender sender = new WebhookSender(dns.guard(), CONNECT_TIMEOUT, REQUEST_TIMEOUT, 1, Duration.ZERO, 2.0);
            List<WebhookSender.Attempt> attempts = new ArrayList<>();

            WebhookDelivery delivery = sender.send(URI.create(dns.url("localhost", "/hook")), EVENT, Map.of(),
                    attempts::add);

            assertThat(delivery.delivered()).isTrue();
            assertThat(dns.lookups()).isEqualTo(1);
            assertThat(dns.internalHits()).isEmpty();
            assertThat(attempts).singleElement().satisfies(a -> {
                assertThat(a.number()).isEqualTo(1);
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.error()).isNull();
            });
        }
    }
}
