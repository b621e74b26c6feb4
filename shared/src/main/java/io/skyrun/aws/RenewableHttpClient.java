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
    private final String name;
    private final Supplier<? extends SdkHttpClient> factory;
    private final AtomicReference<SdkHttpClient> current = new AtomicReference<>();

    /**
     * The first client is built on the first request, not here: building one sets up TLS (the JDK's trust
     * store), which a function whose first event needs no AWS call should not pay for at start.
     *
     * @param name the client's name as the SDK reports it (asked before any request)
     */
    public RenewableHttpClient(String name, Supplier<? extends SdkHttpClient> factory) {
        this.name = name;
        this.factory = factory;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return current().prepareRequest(request);
    }

    /** Builds a new client for the requests from now on and closes the one it replaces, if any. */
    public void renew() {
        SdkHttpClient old = current.getAndSet(factory.get());
        if (old != null) {
            old.close();
        }
    }

    /** The client requests go through now, built if there is none yet. */
    SdkHttpClient current() {
        SdkHttpClient client = current.get();
        if (client == null) {
            synchronized (this) {
                client = current.get();
                if (client == null) {
                    client = factory.get();
                    current.set(client);
                }
            }
        }
        return client;
    }

    @Override
    public String clientName() {
        return name;
    }

    @Override
    public void close() {
        SdkHttpClient client = current.getAndSet(null);
        if (client != null) {
            client.close();
        }
    }
}
