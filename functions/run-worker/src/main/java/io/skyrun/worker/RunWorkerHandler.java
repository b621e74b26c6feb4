package io.skyrun.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.FunctionContextBuilder;

import java.time.Clock;
import java.time.Instant;

/**
 * The run-worker Lambda ({@code io.skyrun.worker.RunWorkerHandler::handleRequest}): an SQS event source
 * with {@code ReportBatchItemFailures} hands it batches of run messages. The application context is
 * built once, in the constructor, so SnapStart snapshots it.
 */
public class RunWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, AutoCloseable {
    private final ApplicationContext context;
    private final RunMessages messages;
    private final Clock clock;

    public RunWorkerHandler() {
        this(FunctionContextBuilder.onDemand("function").start());
    }

    public RunWorkerHandler(ApplicationContext context) {
        this.context = context;
        this.messages = context.getBean(RunMessages.class);
        this.clock = context.getBean(Clock.class);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent input, Context lambda) {
        Instant deadline = lambda == null ? null : clock.instant().plusMillis(lambda.getRemainingTimeInMillis());
        return messages.process(input, deadline);
    }

    @Override
    public void close() {
        context.close();
    }
}
