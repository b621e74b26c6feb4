package io.skyrun.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.skyrun.queue.RunQueue;
import io.skyrun.queue.sqs.SqsConfig;
import io.skyrun.runs.RunExecutor;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunStatus;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Works through one SQS batch of run messages. Each message is judged on its own and failures are
 * reported per message, so one bad message never fails its neighbours. A duplicate delivery executes
 * nothing (the executor's claim is conditional); a message for a missing run is dropped with a log
 * line; a run another worker still holds is retried later; a run that yields before the invocation's
 * deadline is queued again and continues from its stored steps; a message that keeps failing marks its
 * run failed on its last receive and is left to the redrive policy, which moves it to the dead-letter queue.
 */
@Singleton
public class RunMessages {
    private static final Logger LOG = LoggerFactory.getLogger(RunMessages.class);

    private final RunExecutor executor;
    private final RunQueue queue;
    private final RunRepository runs;
    private final SqsConfig config;
    private final Clock clock;

    public RunMessages(RunExecutor executor, RunRepository runs, RunQueue queue, SqsConfig config, Clock clock) {
        this.executor = executor;
        this.queue = queue;
        this.runs = runs;
        this.config = config;
        this.clock = clock;
    }

    /** Processes a batch; {@code deadline} is when the invocation's time runs out (null: none). */
    public SQSBatchResponse process(SQSEvent event, Instant deadline) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            String runId = message.getBody() == null ? "" : message.getBody().strip();
            if (!runId.startsWith("run_") || runId.length() > 64) {
                LOG.warn("Dropping message {}: its body is not a run id", message.getMessageId());
                continue;
            }
            try {
                RunExecutor.Outcome outcome = executor.execute(runId, deadline);
                LOG.info("Message {} for {}: {}", message.getMessageId(), runId, outcome);
                if (outcome == RunExecutor.Outcome.YIELDED) {
                    queue.enqueue(runId);
                } else if (outcome == RunExecutor.Outcome.BUSY) {
                    failures.add(SQSBatchResponse.BatchItemFailure.builder()
                            .withItemIdentifier(message.getMessageId()).build());
                }
            } catch (RuntimeException e) {
                int receives = receiveCount(message);
                LOG.error("Message {} for {} failed (receive {} of {})", message.getMessageId(), runId, receives,
                        config.maxReceives(), e);
                if (receives >= config.maxReceives()) {
                    giveUp(runId, receives, e);
                }
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private void giveUp(String runId, int receives, RuntimeException cause) {
        try {
            if (runs.finish(runId, RunStatus.FAILED, clock.instant(), "Worker gave up after " + receives
                    + " attempts: " + cause.getClass().getSimpleName(), null)) {
                LOG.warn("Run {} marked failed; its message goes to the dead-letter queue", runId);
            }
        } catch (RuntimeException e) {
            LOG.error("Could not mark run {} failed", runId, e);
        }
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        try {
            return Integer.parseInt(message.getAttributes().getOrDefault("ApproximateReceiveCount", "1"));
        } catch (RuntimeException e) {
            return 1;
        }
    }
}
