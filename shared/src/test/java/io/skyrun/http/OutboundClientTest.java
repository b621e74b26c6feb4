package io.skyrun.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.skyrun.testing.RebindingDns;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Servers bind 127.0.0.1 (RebindingDns also 127.0.0.2, loopback too) on free ports; host names never reach DNS: the guard's
// resolve is overridden.
class OutboundClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final InetAddress LOOPBACK = address("127.0.0.1");

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void aNameThatRebindsToLoopbackAfterTheCheckDoesNotReachTheLoopbackServer() throws Exception {
        // GIVEN a "public" server and an internal one on 127.0.0.1, and a name whose first answer is the public
        // address and every later answer 127.0.0.1 (DNS rebinding), with a guard that refuses private addresses
        try (RebindingDns dns = new RebindingDns("text/plain", "public")) {
            OutboundClient client = new OutboundClient(dns.guard(), TIMEOUT);

            // WHEN the name is fetched ("localhost": the JDK's own resolver would answer 127.0.0.1)
            OutboundClient.Response response = client.exchange(
                    OutboundClient.Request.get(URI.create(dns.url("localhost", "/page")), Map.of()),
                    TIMEOUT, OutboundClient.BodyLimit.of(1000));

            // THEN the connection went to the checked address, the name was resolved once, 127.0.0.1 saw nothing
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("public");
            assertThat(dns.lookups()).isEqualTo(1);
            assertThat(dns.internalHits()).isEmpty();
        }
    }

    @Test
    void aNameThatResolvesToLoopbackAtCheckTimeIsRefusedWithoutAConnection() throws Exception {
        // GIVEN an internal server and a name that resolves to it, with a guard that refuses private addresses
        List<String> hits = new CopyOnWriteArrayList<>();
        HttpServer server = server(LOOPBACK, 0, "internal", hits);
        OutboundClient client = new OutboundClient(resolvingTo(false, LOOPBACK), TIMEOUT);

        // WHEN it is fetched
        // THEN it is refused and the server saw nothing
        assertThatThrownBy(() -> client.exchange(OutboundClient.Request.get(
                URI.create("http://internal.test:" + server.getAddress().getPort() + "/"), Map.of()),
                TIMEOUT, OutboundClient.BodyLimit.of(1000)))
                .isInstanceOf(OutboundRefused.class)
                .hasMessageContaining("resolves to private address 127.0.0.1");
        assertThat(hits).isEmpty();
    }

    @Test
    void httpsToAPinnedAddressStillVerifiesTheCertificateAgainstTheHostName(@TempDir Path dir) throws Exception {
        // GIVEN an https server whose certificate names pinned.test, and a name that resolves to it
        Tls tls = Tls.selfSigned(dir, "pinned.test");
        HttpsServer server = httpsServer(tls.context());
        OutboundClient client = new OutboundClient(resolvingTo(true, LOOPBACK), TIMEOUT, tls.context());
        URI uri = URI.create("https://pinned.test:" + server.getAddress().getPort() + "/secure");

        // WHEN it is fetched by that name
        OutboundClient.Response response = client.exchange(OutboundClient.Request.get(uri, Map.of()), TIMEOUT,
                OutboundClient.BodyLimit.of(1000));

        // THEN TLS succeeded (SNI and hostname verification used the name, not 127.0.0.1)
        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("secure");
    }

    @Test
    void httpsRefusesACertificateForAnotherName(@TempDir Path dir) throws Exception {
        // GIVEN an https server whose certificate names pinned.test only
        Tls tls = Tls.selfSigned(dir, "pinned.test");
        HttpsServer server = httpsServer(tls.context());
        OutboundClient client = new OutboundClient(resolvingTo(true, LOOPBACK), TIMEOUT, tls.context());

        // WHEN another name that resolves to the same address is fetched
        // THEN the handshake fails: the certificate is checked against the name asked for
        assertThatThrownBy(() -> client.exchange(OutboundClient.Request.get(
                URI.create("https://other.test:" + server.getAddress().getPort() + "/secure"), Map.of()),
                TIMEOUT, OutboundClient.BodyLimit.of(1000)))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void headersAndBodyAreSentAsGiven() throws Exception {
        // GIVEN a server that echoes the request
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/echo", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            String echo = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("X-Test") + " "
                    + exchange.getRequestHeaders().getFirst("Host") + " "
                    + new String(in, StandardCharsets.UTF_8);
            respond(exchange, 201, echo);
        });
        start(server);
        OutboundClient client = new OutboundClient(new OutboundGuard(true), TIMEOUT);
        int port = server.getAddress().getPort();

        // WHEN a POST with a header, a query and a body is made
        OutboundClient.Response response = client.exchange(new OutboundClient.Request("POST",
                        URI.create("http://127.0.0.1:" + port + "/echo?a=1&b=%20"), Map.of("X-Test", "yes"),
                        "{\"k\":1}".getBytes(StandardCharsets.UTF_8)),
                TIMEOUT, OutboundClient.BodyLimit.of(1000));

        // THEN the server saw all of it and its answer comes back with status and headers
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("content-type")).isEqualTo("text/plain");
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("POST /echo?a=1&b=%20 yes 127.0.0.1:" + port + " {\"k\":1}");
    }

    @Test
    void aHeaderValueWithALineBreakIsRefusedBeforeConnecting() throws Exception {
        // GIVEN a server and a header value that tries to start a second header
        List<String> hits = new CopyOnWriteArrayList<>();
        HttpServer server = server(LOOPBACK, 0, "x", hits);
        OutboundClient client = new OutboundClient(new OutboundGuard(true), TIMEOUT);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Test", "a\r\nX-Injected: 1");

        // WHEN it is sent
        // THEN it is refused and nothing reached the server
        assertThatThrownBy(() -> client.exchange(new OutboundClient.Request("GET",
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), headers, null),
                TIMEOUT, OutboundClient.BodyLimit.of(1000)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not allowed");
        assertThat(hits).isEmpty();
    }

    @Test
    void aHostHeaderFromTheCallerIsRefused() {
        // GIVEN a request that tries to set Host itself
        OutboundClient client = new OutboundClient(new OutboundGuard(true), TIMEOUT);

        // WHEN it is sent
        // THEN it is refused: Host always names the URL's host
        assertThatThrownBy(() -> client.exchange(OutboundClient.Request.get(URI.create("http://127.0.0.1:9/"),
                Map.of("Host", "internal")), TIMEOUT, OutboundClient.BodyLimit.of(10)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("header 'Host' is set by the client");
    }

    @Test
    void aBodyWithContentLengthIsCutAtTheLimitAndMarked() throws Exception {
        // GIVEN a server answering 10 000 bytes with a Content-Length
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/", exchange -> respond(exchange, 200, "z".repeat(10_000)));
        start(server);
        OutboundClient client = new OutboundClient(new OutboundGuard(true), TIMEOUT);

        // WHEN it is read with a 100-byte limit
        OutboundClient.Response response = client.exchange(OutboundClient.Request.get(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), Map.of()),
                TIMEOUT, OutboundClient.BodyLimit.of(100));

        // THEN 100 bytes come back, marked truncated
        assertThat(response.body()).hasSize(100);
        assertThat(response.truncated()).isTrue();
    }

    @Test
    void aServerThatTricklesItsBodyIsStoppedByTheDeadline() throws Exception {
        // GIVEN a server that sends one byte every 100 ms for a minute
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write('x');
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            } catch (IOException | InterruptedException gone) {
                // the client hung up, as expected
            }
        });
        start(server);
        OutboundClient client = new OutboundClient(new OutboundGuard(true), TIMEOUT);

        // WHEN it is read with a 500 ms deadline (each single read is quick, only the whole is slow)
        long started = System.nanoTime();
        // THEN it fails as a timeout soon after the deadline
        assertThatThrownBy(() -> client.exchange(OutboundClient.Request.get(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), Map.of()),
                Duration.ofMillis(500), OutboundClient.BodyLimit.of(100_000)))
                .isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    private static OutboundGuard resolvingTo(boolean allowPrivate, InetAddress address) {
        return new OutboundGuard(allowPrivate) {
            @Override
            protected InetAddress[] resolve(String host) {
                return new InetAddress[] {address};
            }
        };
    }

    private HttpServer server(InetAddress address, int port, String answer, List<String> hits) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.createContext("/", exchange -> {
            hits.add(exchange.getRequestURI().toString());
            respond(exchange, 200, answer);
        });
        start(server);
        return server;
    }

    private HttpsServer httpsServer(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/secure", exchange -> respond(exchange, 200, "secure"));
        start(server);
        return server;
    }

    private void start(HttpServer server) {
        servers.add(server);
        server.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed certificate made by the JDK's keytool, and a TLS context that serves and trusts it. */
    record Tls(SSLContext context) {
        static Tls selfSigned(Path dir, String dnsName) throws Exception {
            Path store = dir.resolve("tls.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=" + dnsName, "-ext", "SAN=dns:" + dnsName,
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(store)) {
                throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, "changeit".toCharArray());
            }
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("server", keys.getCertificate("server"));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new Tls(context);
        }
    }
}
