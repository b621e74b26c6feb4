package io.skyrun.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p>Building a client loads the JDK's trust store and sets up TLS: about a third of a cold function's
 * first AWS call. Where every event makes AWS calls (the run-worker, the schedule-trigger), each client is
 * built on a background thread started by the constructor and by {@link #renew()}, beside the rest of the
 * start, and the first request waits for it. Elsewhere (the API functions, which also answer CORS
 * preflights and health checks without AWS) the first request that needs one builds it.
 */
public final class RenewableHttpClient implements SdkHttpClient {
    private static final Logger LOG = LoggerFactory.getLogger(RenewableHttpClient.class);
    private final String name;
    private final Supplier<? extends SdkHttpClient> factory;
    private final boolean buildAtStart;
    /** Run on the background thread once the first client is built (and available to requests); then dropped. */
    private volatile Runnable afterFirstBuild;
    /** The client being built or built (or, not built at start, to be built by the first request); null once closed. */
    private volatile CompletableFuture<SdkHttpClient> current;

    /**
     * @param name the client's name as the SDK reports it (asked before any request)
     * @param factory builds a client
     * @param buildAtStart build each client on a background thread at once, not on the first request
     */
    public RenewableHttpClient(String name, Supplier<? extends SdkHttpClient> factory, boolean buildAtStart) {
        this(name, factory, buildAtStart, null);
    }

    /**
     * @param afterFirstBuild with {@code buildAtStart}: more start-up work for the same background thread, run
     *                        after the first client is built and handed to requests (which do not wait for it)
     */
    public RenewableHttpClient(String name, Supplier<? extends SdkHttpClient> factory, boolean buildAtStart,
                               Runnable afterFirstBuild) {
        this.name = name;
        this.factory = factory;
        this.buildAtStart = buildAtStart;
        this.afterFirstBuild = afterFirstBuild;
        this.current = next();
    }

    private CompletableFuture<SdkHttpClient> next() {
        return buildAtStart ? buildInBackground() : new CompletableFuture<>();
    }

    private CompletableFuture<SdkHttpClient> buildInBackground() {
        CompletableFuture<SdkHttpClient> client = new CompletableFuture<>();
        Thread builder = new Thread(() -> {
            try {
                client.complete(factory.get());
            } catch (Throwable e) {
                client.completeExceptionally(e);
            }
            Runnable then = afterFirstBuild;
            afterFirstBuild = null;
            if (then != null) {
                try {
                    then.run();
                } catch (RuntimeException e) {
                    LOG.debug("Start-up work after the {} HTTP client failed: {}", name, e.toString());
                }
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

    /** A new client for the requests from now on (built as at start); closes the one it replaces. */
    public synchronized void renew() {
        CompletableFuture<SdkHttpClient> old = current;
        if (old == null) {
            throw new IllegalStateException("the " + name + " HTTP client is closed");
        }
        current = next();
        closeWhenBuilt(old);
    }

    /**
     * The client requests go through now: built here if it is to be built on first use (a failure reaches the
     * caller, and the next request tries again), waited for if it is being built in the background. A build
     * that failed in the background is tried again here, so that its error reaches the caller with the
     * caller's stack.
     */
    SdkHttpClient current() {
        CompletableFuture<SdkHttpClient> client = current;
        if (client == null) {
            throw new IllegalStateException("the " + name + " HTTP client is closed");
        }
        if (!buildAtStart && !client.isDone()) {
            synchronized (this) {
                if (current == client && !client.isDone()) {
                    client.complete(factory.get());
                }
            }
            return current();
        }
        SdkHttpClient built = client.exceptionally(failed -> {
            LOG.warn("Building the {} HTTP client in the background failed; the request builds it", name, failed);
            return null;
        }).join();
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
