package io.skyrun.aws;

import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.util.function.Supplier;

/**
 * An AWS SDK client built on its first use. For the clients of rare paths (S3 files, the run queue, EventBridge
 * schedules, SES mail): the API functions create every singleton bean at start, and the worker and the trigger every
 * bean their handler needs, so a client that were a bean would be built on every cold start, whether or not the
 * function ever calls that service. Made by
 * {@link AwsClientFactory#lazy}, which also builds them all for a SnapStart snapshot and closes them.
 */
public final class LazyClient<T extends SdkAutoCloseable> implements Supplier<T> {
    private final Supplier<T> build;
    private volatile T client;
    private volatile boolean closed;

    LazyClient(Supplier<T> build) {
        this.build = build;
    }

    /** The client, built now if this is the first use; refused once closed (the context is shutting down). */
    @Override
    public T get() {
        T built = client;
        if (built == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("AWS client used after its context was closed");
                }
                built = client;
                if (built == null) {
                    built = build.get();
                    client = built;
                }
            }
        }
        return built;
    }

    /** Whether the client has been built. */
    public boolean isBuilt() {
        return client != null;
    }

    /** Closes the client if it was built; a later {@link #get()} is refused. */
    public void close() {
        T built;
        synchronized (this) {
            closed = true;
            built = client;
            client = null;
        }
        if (built != null) {
            built.close();
        }
    }
}
