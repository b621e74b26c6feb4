package io.skyrun.aws;

import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The HTTP client every SDK client shares; {@link #renew()} puts a newly built one in its place, so that a
 * copy restored from a SnapStart snapshot opens its own connections and TLS sessions.
 *
 * <p>The URL-connection client keeps no pool of its own: connections stay open in the JDK's keep-alive cache,
 * keyed by host and, for HTTPS, by the client's SSL socket factory; each client builds its own SSL context
 * (with its own TLS session cache). A renewed client therefore never takes an HTTPS connection, nor resumes a
 * TLS session, that was opened before the snapshot.
 */
public final class RenewableHttpClient implements SdkHttpClient {
    private final Supplier<? extends SdkHttpClient> factory;
    private final AtomicReference<SdkHttpClient> current;

    public RenewableHttpClient(Supplier<? extends SdkHttpClient> factory) {
        this.factory = factory;
        this.current = new AtomicReference<>(factory.get());
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return current.get().prepareRequest(request);
    }

    /** Builds a new client for the requests from now on and closes the one it replaces. */
    public void renew() {
        current.getAndSet(factory.get()).close();
    }

    /** The client requests go through now. */
    SdkHttpClient current() {
        return current.get();
    }

    @Override
    public String clientName() {
        return current.get().clientName();
    }

    @Override
    public void close() {
        current.get().close();
    }
}
