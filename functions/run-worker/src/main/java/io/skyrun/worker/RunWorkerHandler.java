package io.skyrun.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

/**
 * The run-worker Lambda ({@code io.skyrun.worker.RunWorkerHandler::handleRequest}): an SQS event source
 * with {@code ReportBatchItemFailures} hands it batches of run messages.
 */
public class RunWorkerHandler extends MicronautRequestHandler<SQSEvent, SQSBatchResponse> {
    @Inject
    RunMessages messages;

    public RunWorkerHandler() {
    }

    public RunWorkerHandler(ApplicationContext context) {
        super(context);
    }

    @Override
    public SQSBatchResponse execute(SQSEvent input) {
        return messages.process(input);
    }
}
