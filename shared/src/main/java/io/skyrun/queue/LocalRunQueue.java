package io.skyrun.queue;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.skyrun.runs.RunExecutor;
import io.skyrun.runs.RunRepository;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local run queue: a durable in-process worker. The queue itself is the store: a run is
 * stored {@code pending} before it is queued, so a crash or restart loses nothing; at start and
 * then periodically, stored pending runs, and running runs whose worker's lease expired (the server
 * stopped mid-run), are queued again and continue from their stored steps. The executor's
 * conditional claim makes a run queued twice execute once.
 */
@Singleton
@Requires(property = "skyrun.queue", value = "local", defaultValue = "local")
public class LocalRunQueue implements RunQueue {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRunQueue.class);
    private static final int BATCH = 500;

    private final RunExecutor executor;
    private final RunRepository runs;
    private final LocalWorkerConfig config;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final ScheduledExecutorService sweeper;

    public LocalRunQueue(RunExecutor executor, RunRepository runs, LocalWorkerConfig config) {
        this.executor = executor;
        this.runs = runs;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, config.threads()), r -> {
            Thread t = new Thread(r, "skyrun-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skyrun-worker-sweep");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void enqueue(String runId) {
        if (!queued.add(runId)) {
            return;
        }
        workers.execute(() -> {
            try {
                executor.execute(runId);
            } catch (RuntimeException e) {
                LOG.error("Worker failed on run {}", runId, e);
            } finally {
                queued.remove(runId);
            }
        });
    }

    @EventListener
    void onStartup(StartupEvent event) {
        recover();
        long every = config.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Queues what a stopped server left: pending runs, and running runs to continue once their lease expires. */
    public void recover() {
        sweep();
    }

    /** Queues every stored pending or running run that is not queued yet; the claim decides who may run it. */
    public void sweep() {
        try {
            for (String id : runs.pendingIds(BATCH)) {
                enqueue(id);
            }
            for (String id : runs.runningIds(BATCH)) {
                enqueue(id);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sweep of pending runs failed; will try again", e);
        }
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
