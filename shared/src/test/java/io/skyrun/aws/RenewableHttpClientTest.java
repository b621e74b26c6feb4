package io.skyrun.aws;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The URL-connection client keeps HTTPS connections alive between requests (in the JDK's keep-alive cache);
 * a renewed client, as after a SnapStart restore, must not take one of them. Against an HTTPS server on
 * 127.0.0.1 that reports the client port of each request, i.e. which connection it came on.
 */
class RenewableHttpClientTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static HttpsServer server;

    @BeforeAll
    static void startServer(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = Integer.toString(exchange.getRemoteAddress().getPort()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static RenewableHttpClient client() {
        // the server's certificate is self-signed
        return new RenewableHttpClient("UrlConnection", () -> UrlConnectionHttpClient.builder().buildWithDefaults(
                AttributeMap.builder().put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build()), false);
    }

    /** The client port the server saw: one per TCP connection. */
    private static String connectionOf(RenewableHttpClient client) throws Exception {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/")).build();
        HttpExecuteResponse response = client.prepareRequest(HttpExecuteRequest.builder().request(request).build())
                .call();
        assertThat(response.httpResponse().statusCode()).isEqualTo(200);
        try (InputStream body = response.responseBody().orElseThrow()) {
            // read to the end so the connection goes back to the keep-alive cache
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void requestsOfOneClientShareAKeptAliveConnection() throws Exception {
        try (RenewableHttpClient client = client()) {
            String first = connectionOf(client);

            assertThat(connectionOf(client)).isEqualTo(first);
        }
    }

    @Test
    void aRenewedClientOpensANewConnectionInsteadOfTakingAKeptAliveOne() throws Exception {
        try (RenewableHttpClient client = client()) {
            String beforeSnapshot = connectionOf(client);

            client.renew();

            assertThat(connectionOf(client)).isNotEqualTo(beforeSnapshot);
        }
    }

    /** An HTTP client that only records whether it was closed. */
    private static final class Recorded implements SdkHttpClient {
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void theClientIsBuiltOnABackgroundThreadStartedByTheConstructor() throws Exception {
        CountDownLatch built = new CountDownLatch(1);
        AtomicReference<String> thread = new AtomicReference<>();
        try (RenewableHttpClient client = new RenewableHttpClient("test", () -> {
            thread.set(Thread.currentThread().getName());
            built.countDown();
            return new Recorded();
        }, true)) {
            assertThat(built.await(30, TimeUnit.SECONDS)).as("built without any request").isTrue();
            assertThat(thread.get()).isNotEqualTo(Thread.currentThread().getName());
            assertThat(client.current()).isInstanceOf(Recorded.class);
        }
    }

    @Test
    void aBuildThatFailedInTheBackgroundIsTriedAgainByTheFirstRequest() {
        AtomicInteger builds = new AtomicInteger();
        try (RenewableHttpClient client = new RenewableHttpClient("test", () -> {
            if (builds.incrementAndGet() == 1) {
                throw new IllegalStateException("trust store not readable yet");
            }
            return new Recorded();
        }, true)) {
            assertThat(client.current()).isInstanceOf(Recorded.class);
            assertThat(client.current()).isSameAs(client.current());
            assertThat(builds).hasValue(2);
        }
    }

    @Test
    void aBuildThatKeepsFailingReachesTheCallerWithItsError() {
        try (RenewableHttpClient client = new RenewableHttpClient("test", () -> {
            throw new IllegalStateException("no trust store");
        }, true)) {
            assertThatThrownBy(client::current).isInstanceOf(IllegalStateException.class).hasMessage("no trust store");
        }
    }

    @Test
    void renewAndCloseCloseTheClientsTheyReplaceOnceBuilt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Recorded> made = new CopyOnWriteArrayList<>();
        RenewableHttpClient client = new RenewableHttpClient("test", () -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Recorded r = new Recorded();
            made.add(r);
            return r;
        }, true);
        client.renew();
        client.close();
        release.countDown();

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(made.size() == 2 && made.stream().allMatch(r -> r.closed.get())) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(made).hasSize(2).allMatch(r -> r.closed.get(), "closed");
        assertThatThrownBy(client::current).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(client::renew).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void notBuiltAtStartTheClientIsBuiltByTheFirstRequestAndAgainAfterARenewal() throws Exception {
        List<Recorded> made = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger(1);
        try (RenewableHttpClient client = new RenewableHttpClient("test", () -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("trust store not readable yet");
            }
            Recorded r = new Recorded();
            made.add(r);
            return r;
        }, false)) {
            Thread.sleep(200);
            assertThat(made).as("nothing built before a request").isEmpty();

            assertThatThrownBy(client::current).hasMessage("trust store not readable yet");
            SdkHttpClient first = client.current();
            assertThat(client.current()).isSameAs(first);
            assertThat(made).hasSize(1);

            client.renew();
            assertThat(made.get(0).closed).isTrue();
            assertThat(made).as("the renewed one too is built by the next request").hasSize(1);
            assertThat(client.current()).isNotSameAs(first);
            assertThat(made).hasSize(2);
        }
        assertThat(made.get(1).closed).isTrue();
    }

    @Test
    void startUpWorkAfterTheFirstBuildRunsOnTheBackgroundThreadWithoutHoldingRequests() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<String> thread = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();
        try (RenewableHttpClient client = new RenewableHttpClient("test", Recorded::new, true, () -> {
            thread.set(Thread.currentThread().getName());
            runs.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.countDown();
        })) {
            assertThat(client.current()).as("available while the work still runs").isInstanceOf(Recorded.class);
            assertThat(ran.getCount()).isEqualTo(1);
            release.countDown();
            assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(thread.get()).isEqualTo("skyrun-aws-http-client");

            client.renew();
            assertThat(client.current()).isInstanceOf(Recorded.class);
            Thread.sleep(100);
            assertThat(runs).as("once, after the first build only").hasValue(1);
        }
    }
}
