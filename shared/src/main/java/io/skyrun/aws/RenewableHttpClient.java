package io.skyrun.aws;

import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The HTTP client every SDK client shares; {@link #renew()} puts a newly built one in its place, so that a
 * copy restored from a SnapStart snapshot opens its own connections and TLS sessions.
 *
 * <p>The URL-connection client keeps no pool of its own: connections stay open in the JDK's keep-alive cache,
 * keyed by host and, for HTTPS, by the client's SSL socket factory; each client builds its own SSL context
 * (with its own TLS session cache). A renewed client therefore never takes an HTTPS connection, nor resumes a
 * TLS session, that was opened before the snapshot.
 *
 * <p>Each client is built on a background thread, started by the constructor and by {@link #renew()}; the
 * first request waits for it. Building one loads the JDK's trust store and sets up TLS (about a third of a
 * cold function's first AWS call), which so runs beside the rest of the start instead of inside the first
 * request, and costs a function whose first event makes no AWS call no time on the thread that serves it.
 */
public final class RenewableHttpClient implements SdkHttpClient {
    private final String name;
    private final Supplier<? extends SdkHttpClient> factory;
    /** The client being built or built; null once closed. */
    private volatile CompletableFuture<SdkHttpClient> current;

    /**
     * @param name the client's name as the SDK reports it (asked before any request)
     * @param factory builds a client; called on a background thread
     */
    public RenewableHttpClient(String name, Supplier<? extends SdkHttpClient> factory) {
        this.name = name;
        this.factory = factory;
        this.current = buildInBackground();
    }

    private CompletableFuture<SdkHttpClient> buildInBackground() {
        CompletableFuture<SdkHttpClient> client = new CompletableFuture<>();
        Thread builder = new Thread(() -> {
            try {
                client.complete(factory.get());
            } catch (Throwable e) {
                client.completeExceptionally(e);
            }
        }, "skyrun-aws-http-client");
        builder.setDaemon(true);
        builder.start();
        return client;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return current().prepareRequest(request);
    }

    /** Starts building a new client for the requests from now on and closes the one it replaces. */
    public synchronized void renew() {
        CompletableFuture<SdkHttpClient> old = current;
        if (old == null) {
            throw new IllegalStateException("the " + name + " HTTP client is closed");
        }
        current = buildInBackground();
        closeWhenBuilt(old);
    }

    /**
     * The client requests go through now, waiting for it if it is still being built. A build that failed in
     * the background is tried again here, so that its error reaches the caller with the caller's stack.
     */
    SdkHttpClient current() {
        CompletableFuture<SdkHttpClient> client = current;
        if (client == null) {
            throw new IllegalStateException("the " + name + " HTTP client is closed");
        }
        SdkHttpClient built = client.exceptionally(failed -> null).join();
        if (built != null) {
            return built;
        }
        synchronized (this) {
            if (current == client) {
                current = CompletableFuture.completedFuture(factory.get());
            }
            return current();
        }
    }

    @Override
    public String clientName() {
        return name;
    }

    @Override
    public synchronized void close() {
        CompletableFuture<SdkHttpClient> client = current;
        current = null;
        if (client != null) {
            closeWhenBuilt(client);
        }
    }

    private static void closeWhenBuilt(CompletableFuture<SdkHttpClient> client) {
        client.thenAccept(SdkHttpClient::close);
    }
}
