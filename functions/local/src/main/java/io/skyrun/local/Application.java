package io.skyrun.local;

import io.micronaut.runtime.Micronaut;

/** Starts every API group on one local Netty server with embedded storage, the in-process worker and cron. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).banner(false).start();
    }
}
