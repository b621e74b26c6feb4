package io.skyrun.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.skyrun.testing.RebindingDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Talks only to an HttpServer it starts on 127.0.0.1 with an ephemeral port.
class PageFetcherTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private HttpServer server;
    private ExecutorService executor;
    private final List<String> requestedPaths = new CopyOnWriteArrayList<>();
    private final List<com.sun.net.httpserver.Headers> requestHeaders = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // Handlers run on their own threads so a sleeping handler cannot block the server from stopping.
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
    void htmlIsTurnedIntoReadableTextWithoutScriptsStylesOrNavigation() throws Exception {
        // GIVEN a page with a title, scripts, styles, navigation and content
        serve("/page", "text/html; charset=utf-8", """
                <html><head><title> Skyrun   docs </title><style>body { color: red }</style>
                <script>alert('boom')</script></head>
                <body><nav>Home | Menu</nav><noscript>enable js</noscript>
                <h1>Hello</h1><p>World   of
                   text</p><script>var hidden = 1;</script></body></html>
                """);
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        PageFetcher.Page page = fetcher.fetch(url("/page"));

        // THEN the text keeps the content, drops the rest, and the title comes separately
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("text/html");
        assertThat(page.title()).isEqualTo("Skyrun docs");
        assertThat(page.text()).isEqualTo("Hello\nWorld of text");
        assertThat(page.truncated()).isFalse();
    }

    @Test
    void preformattedTextKeepsItsLineBreaks() throws Exception {
        // GIVEN a page with a code block
        serve("/code", "text/html", "<html><body><p>Run:</p><pre>make\nmake test</pre></body></html>");
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        PageFetcher.Page page = fetcher.fetch(url("/code"));

        // THEN the lines of the code block stay apart
        assertThat(page.text()).isEqualTo("Run:\nmake\nmake test");
    }

    @Test
    void plainTextIsReturnedAsIs() throws Exception {
        // GIVEN a plain text resource
        serve("/notes.txt", "text/plain", "line one\n  line two\n");
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        PageFetcher.Page page = fetcher.fetch(url("/notes.txt"));

        // THEN the text is untouched and there is no title
        assertThat(page.text()).isEqualTo("line one\n  line two\n");
        assertThat(page.title()).isNull();
        assertThat(page.contentType()).isEqualTo("text/plain");
    }

    @Test
    void theCharsetOfTheContentTypeIsHonoured() throws Exception {
        // GIVEN a Latin-1 text resource
        server.createContext("/latin1", exchange -> respond(exchange, 200, "text/plain; charset=ISO-8859-1",
                "café".getBytes(StandardCharsets.ISO_8859_1)));
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        PageFetcher.Page page = fetcher.fetch(url("/latin1"));

        // THEN it is decoded with that charset
        assertThat(page.text()).isEqualTo("café");
    }

    @Test
    void jsonIsReturnedAsIs() throws Exception {
        // GIVEN a JSON resource
        serve("/data", "application/json", "{\"a\": 1}");
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        PageFetcher.Page page = fetcher.fetch(url("/data"));

        // THEN the JSON text comes back unchanged
        assertThat(page.text()).isEqualTo("{\"a\": 1}");
    }

    @Test
    void theRequestIdentifiesTheAgentAndSaysWhatItAccepts() throws Exception {
        // GIVEN a page
        serve("/page", "text/plain", "ok");
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        fetcher.fetch(url("/page"));

        // THEN the server saw the agent's User-Agent and Accept headers
        assertThat(requestHeaders).hasSize(1);
        assertThat(requestHeaders.get(0).getFirst("User-Agent")).isEqualTo("skyrun/0.1 (+agent tool)");
        assertThat(requestHeaders.get(0).getFirst("Accept"))
                .isEqualTo("text/html, text/plain;q=0.9, application/json;q=0.8");
    }

    @Test
    void anUnsupportedContentTypeIsRejected() {
        // GIVEN an image
        server.createContext("/logo.png", exchange -> respond(exchange, 200, "image/png", new byte[] {(byte) 0x89, 'P'}));
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        // THEN it is rejected naming the type
        assertThatThrownBy(() -> fetcher.fetch(url("/logo.png")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unsupported content type image/png");
    }

    @Test
    void aBodyLargerThanMaxBytesIsTruncatedAndMarked() throws Exception {
        // GIVEN a text far larger than the limit
        serve("/big", "text/plain", "a".repeat(100_000));
        PageFetcher fetcher = fetcher(allowingPrivate(), 1_000, 3);

        // WHEN it is fetched
        PageFetcher.Page page = fetcher.fetch(url("/big"));

        // THEN exactly the limit is kept and the page says it was cut
        assertThat(page.text()).hasSize(1_000);
        assertThat(page.truncated()).isTrue();
    }

    @Test
    void aBodyOfExactlyMaxBytesIsNotMarkedTruncated() throws Exception {
        // GIVEN a text exactly as long as the limit
        serve("/exact", "text/plain", "b".repeat(1_000));
        PageFetcher fetcher = fetcher(allowingPrivate(), 1_000, 3);

        // WHEN it is fetched
        PageFetcher.Page page = fetcher.fetch(url("/exact"));

        // THEN all of it is kept and it is not marked truncated
        assertThat(page.text()).hasSize(1_000);
        assertThat(page.truncated()).isFalse();
    }

    @Test
    void anEndlessBodyStopsAtMaxBytes() throws Exception {
        // GIVEN a server that streams without end (bounded here only as a safety net)
        server.createContext("/endless", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = "x".repeat(8_192).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 32_768; i++) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException clientWentAway) {
                // Expected: the fetcher hangs up once it has enough.
            }
        });
        PageFetcher fetcher = fetcher(allowingPrivate(), 4_096, 3);

        // WHEN it is fetched
        PageFetcher.Page page = fetcher.fetch(url("/endless"));

        // THEN only the limit is read
        assertThat(page.text()).hasSize(4_096);
        assertThat(page.truncated()).isTrue();
    }

    @Test
    void aRedirectIsFollowed() throws Exception {
        // GIVEN a relative redirect to a page
        redirect("/start", "/final");
        serve("/final", "text/plain", "arrived");
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN the start is fetched
        PageFetcher.Page page = fetcher.fetch(url("/start"));

        // THEN the final page comes back with its own URI
        assertThat(page.finalUri()).isEqualTo(url("/final"));
        assertThat(page.text()).isEqualTo("arrived");
        assertThat(requestedPaths).containsExactly("/start", "/final");
    }

    @Test
    void aRedirectLoopStopsAtMaxRedirectsWithAClearError() {
        // GIVEN a page that redirects to itself
        redirect("/loop", "/loop");
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        // THEN it stops after the allowed redirects with a message that says so
        assertThatThrownBy(() -> fetcher.fetch(url("/loop")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("too many redirects")
                .hasMessageContaining("after 3 redirects");
        assertThat(requestedPaths).hasSize(4);
    }

    @Test
    void aRedirectToTheCloudMetadataAddressIsRefused() {
        // GIVEN a guard that allows this test's loopback server but no other private address
        OutboundGuard loopbackOnly = new OutboundGuard(false) {
            @Override
            protected boolean permitted(InetAddress address) {
                return address.isLoopbackAddress() || super.permitted(address);
            }
        };
        redirect("/hop", "http://169.254.169.254/latest/meta-data/");
        PageFetcher fetcher = fetcher(loopbackOnly, 10_000, 3);

        // WHEN the redirecting page is fetched
        // THEN the hop to the metadata address is refused before any connection
        assertThatThrownBy(() -> fetcher.fetch(url("/hop")))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("169.254.169.254")
                .hasMessageContaining("private address");
        assertThat(requestedPaths).containsExactly("/hop");
    }

    @Test
    void aPrivateStartAddressIsRefusedWithoutARequest() {
        // GIVEN the default guard that refuses private addresses
        serve("/page", "text/plain", "secret");
        PageFetcher fetcher = fetcher(new OutboundGuard(false), 10_000, 3);

        // WHEN the loopback server is fetched
        // THEN it is refused and the server saw nothing
        assertThatThrownBy(() -> fetcher.fetch(url("/page"))).isInstanceOf(OutboundRefused.class);
        assertThat(requestedPaths).isEmpty();
    }

    @Test
    void aNameThatRebindsToLoopbackAfterTheCheckIsFetchedFromTheCheckedAddress() throws Exception {
        // GIVEN a name that resolves to a "public" address first and to 127.0.0.1 afterwards (DNS rebinding)
        try (RebindingDns dns = new RebindingDns("text/plain", "public page")) {
            PageFetcher fetcher = fetcher(dns.guard(), 10_000, 3);

            // WHEN the page is fetched by that name
            PageFetcher.Page page = fetcher.fetch(URI.create(dns.url("localhost", "/page")));

            // THEN the page came from the checked address and the internal server saw nothing
            assertThat(page.text()).isEqualTo("public page");
            assertThat(dns.internalHits()).isEmpty();
        }
    }

    @Test
    void aLaterFetchAfterTheNameRebindsToLoopbackIsRefused() {
        // GIVEN a name that resolves to a "public" address first and to 127.0.0.1 afterwards
        try (RebindingDns dns = new RebindingDns("text/plain", "public page")) {
            PageFetcher fetcher = fetcher(dns.guard(), 10_000, 3);

            // WHEN the name is fetched twice (the second lookup is the rebound one)
            // THEN the second fetch is refused before connecting, and the internal server saw nothing
            assertThatCode(() -> fetcher.fetch(URI.create(dns.url("localhost", "/one")))).doesNotThrowAnyException();
            assertThatThrownBy(() -> fetcher.fetch(URI.create(dns.url("localhost", "/two"))))
                    .isInstanceOf(OutboundRefused.class)
                    .hasMessageContaining("resolves to private address 127.0.0.1");
            assertThat(dns.internalHits()).isEmpty();
        }
    }

    @Test
    void aSlowResponseFailsWithATimeout() {
        // GIVEN a server that answers much later than the request timeout
        server.createContext("/slow", exchange -> {
            sleepQuietly(Duration.ofSeconds(5));
            respond(exchange, 200, "text/plain", "late".getBytes(StandardCharsets.UTF_8));
        });
        PageFetcher fetcher = new PageFetcher(allowingPrivate(), CONNECT_TIMEOUT, Duration.ofMillis(300), 10_000, 3);

        // WHEN it is fetched
        long started = System.nanoTime();
        // THEN it fails with a timeout well before the server answers
        assertThatThrownBy(() -> fetcher.fetch(url("/slow"))).isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aBodyThatStallsAfterTheHeadersFailsWithATimeout() {
        // GIVEN a server that sends headers and a little body, then stalls
        server.createContext("/stall", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("start".getBytes(StandardCharsets.UTF_8));
            out.flush();
            sleepQuietly(Duration.ofSeconds(5));
            out.close();
        });
        PageFetcher fetcher = new PageFetcher(allowingPrivate(), CONNECT_TIMEOUT, Duration.ofMillis(300), 10_000, 3);

        // WHEN it is fetched
        long started = System.nanoTime();
        // THEN the request timeout covers the body too
        assertThatThrownBy(() -> fetcher.fetch(url("/stall"))).isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aNotFoundFailsWithAnErrorNamingTheStatus() {
        // GIVEN a path the server does not know
        server.createContext("/missing", exchange -> respond(exchange, 404, "text/plain",
                "nope".getBytes(StandardCharsets.UTF_8)));
        PageFetcher fetcher = fetcher(allowingPrivate(), 10_000, 3);

        // WHEN it is fetched
        // THEN the error names the status and the URL
        assertThatThrownBy(() -> fetcher.fetch(url("/missing")))
                .isInstanceOf(IOException.class)
                .hasMessage("HTTP 404 from " + url("/missing"));
    }

    private static OutboundGuard allowingPrivate() {
        return new OutboundGuard(true);
    }

    private static PageFetcher fetcher(OutboundGuard guard, int maxBytes, int maxRedirects) {
        return new PageFetcher(guard, CONNECT_TIMEOUT, REQUEST_TIMEOUT, maxBytes, maxRedirects);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void serve(String path, String contentType, String body) {
        server.createContext(path, exchange -> respond(exchange, 200, contentType, body.getBytes(StandardCharsets.UTF_8)));
    }

    private void redirect(String path, String location) {
        server.createContext(path, exchange -> {
            record(exchange);
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
    }

    private void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        record(exchange);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void record(HttpExchange exchange) {
        requestedPaths.add(exchange.getRequestURI().getPath());
        requestHeaders.add(exchange.getRequestHeaders());
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
