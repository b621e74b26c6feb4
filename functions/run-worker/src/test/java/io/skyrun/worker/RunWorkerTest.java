package io.skyrun.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.AwsClientFactory;
import io.skyrun.aws.SnapStartHooks;
import io.skyrun.goals.Goal;
import io.skyrun.goals.GoalRequests;
import io.skyrun.goals.GoalService;
import io.skyrun.runs.Run;
import io.skyrun.runs.RunRepository;
import io.skyrun.runs.RunService;
import io.skyrun.runs.RunStatus;
import io.skyrun.storage.dynamo.DynamoTable;
import io.skyrun.storage.dynamo.Item;
import io.skyrun.storage.dynamo.Keys;
import io.skyrun.testing.DynamoLocal;
import io.skyrun.testing.Goals;
import io.skyrun.testing.SqsEvents;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run worker against ElasticMQ (a real SQS endpoint, in-process) and DynamoDB Local: messages are
 * received from the queue, handed to the handler as the SQS event AWS builds, and deleted unless the
 * handler reported them failed, as Lambda's event source mapping does.
 */
class RunWorkerTest {
    static SQSRestServer elasticMq;
    static ApplicationContext context;
    static RunWorkerHandler handler;
    static SqsClient sqs;
    static String queueUrl;
    static String dlqUrl;

    @BeforeAll
    static void start() {
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = elasticMq.waitUntilStarted().localAddress().getPort();
        String endpoint = "http://127.0.0.1:" + port;
        Map<String, Object> props = new LinkedHashMap<>(DynamoLocal.properties());
        props.put("skyrun.queue", "sqs");
        props.put("skyrun.aws.sqs-endpoint", endpoint);
        props.put("skyrun.sqs.max-receives", 2);
        props.put("skyrun.rate-limit.per-minute", 0);
        // queues first: the run queue's URL is configuration
        try (ApplicationContext bootstrap = ApplicationContext.builder().properties(Map.of(
                "skyrun.queue", "sqs", "skyrun.aws.sqs-endpoint", endpoint, "skyrun.sqs.queue-url", "unused")).start()) {
            try (SqsClient client = sqsClient(bootstrap, endpoint)) {
                String suffix = UUID.randomUUID().toString().substring(0, 8);
                dlqUrl = client.createQueue(b -> b.queueName("run-dlq-" + suffix)).queueUrl();
                String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                queueUrl = client.createQueue(b -> b.queueName("run-queue-" + suffix).attributes(Map.of(
                        QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                        QueueAttributeName.REDRIVE_POLICY,
                        "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}"))).queueUrl();
            }
        }
        props.put("skyrun.sqs.queue-url", queueUrl);
        context = ApplicationContext.builder().properties(props).environments("test").start();
        sqs = sqsClient(context, endpoint);
        handler = new RunWorkerHandler(context);
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (handler != null) {
            handler.close();
        }
        elasticMq.stopAndWait();
    }

    @BeforeEach
    void drain() {
        sqs.purgeQueue(b -> b.queueUrl(queueUrl));
        sqs.purgeQueue(b -> b.queueUrl(dlqUrl));
    }

    private static Goal goal() {
        return Goals.create(context.getBean(GoalService.class), context.getBean(GoalRequests.class),
                "{\"objective\":\"Worker test goal here\",\"params\":{\"allowedTools\":[\"current_time\"]}}");
    }

    private static RunRepository runs() {
        return context.getBean(RunRepository.class);
    }

    private static List<Message> receive() {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(30).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            all.addAll(got);
            if (!all.isEmpty() && got.isEmpty()) {
                break;
            }
        }
        return all;
    }

    /** One poll of the event source mapping: receive, invoke, delete what succeeded. */
    private static SQSBatchResponse deliver(List<Message> messages) {
        return deliver(messages, null);
    }

    private static SQSBatchResponse deliver(List<Message> messages, com.amazonaws.services.lambda.runtime.Context lambda) {
        SQSEvent event = SqsEvents.of(messages);
        SQSBatchResponse response = handler.handleRequest(event, lambda);
        List<String> failed = response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
        for (Message m : messages) {
            if (failed.contains(m.messageId())) {
                // what the visibility timeout does in AWS, without waiting for it
                sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
            } else {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return response;
    }

    /** A client of the test's own, built as the application builds its clients. */
    private static SqsClient sqsClient(ApplicationContext context, String endpoint) {
        return context.getBean(AwsClientFactory.class).configure(SqsClient.builder(), endpoint).build();
    }

    @Test
    void theWorkerLambdaRegistersTheSnapStartHooks() {
        assertThat(context.findBean(SnapStartHooks.class)).isPresent();
    }

    @Test
    void eachTriggeredRunIsOneMessageCarryingOnlyItsIdAndTheWorkerCompletesThemAll() {
        Goal goal = goal();
        RunService service = context.getBean(RunService.class);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(service.trigger("default", goal.id()).id());
        }

        List<Message> messages = receive();
        SQSBatchResponse response = deliver(messages);

        assertThat(messages).extracting(Message::body).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(response.getBatchItemFailures()).isEmpty();
        for (String id : ids) {
            Run run = runs().findById(id).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(runs().steps("default", id)).hasSize(2);
        }
    }

    @Test
    void aDuplicateDeliveryExecutesTheRunOnce() {
        Run run = context.getBean(RunService.class).trigger("default", goal().id());
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(run.id()));

        List<Message> messages = receive();
        SQSBatchResponse response = deliver(messages);

        assertThat(messages).hasSize(2);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(runs().steps("default", run.id())).hasSize(2);
        assertThat(runs().findById(run.id()).orElseThrow().stepsExecuted()).isEqualTo(2);
    }

    @Test
    void aRunThatRunsOutOfInvocationTimeIsQueuedAgainAndFinishedByTheNextInvocation() {
        Run run = context.getBean(RunService.class).trigger("default", goal().id());
        List<Message> first = receive();

        // an invocation with 10 s left: less than the step reserve, so the run yields at once
        SQSBatchResponse response = deliver(first, new LambdaTime(10_000));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(runs().findById(run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        List<Message> again = receive();
        assertThat(again).extracting(Message::body).containsExactly(run.id());
        assertThat(deliver(again).getBatchItemFailures()).isEmpty();
        assertThat(runs().findById(run.id()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aRunAnotherWorkerStillHoldsIsRetriedLater() {
        Run run = context.getBean(RunService.class).trigger("default", goal().id());
        runs().claim(run.id(), java.time.Instant.now(), java.time.Instant.now().plusSeconds(600));

        SQSBatchResponse response = deliver(receive());

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(runs().steps("default", run.id())).isEmpty();
    }

    /** The one thing the worker reads from the Lambda context: the time left. */
    private record LambdaTime(int remainingMillis) implements com.amazonaws.services.lambda.runtime.Context {
        public String getAwsRequestId() { return "req-1"; }
        public String getLogGroupName() { return "/aws/lambda/run-worker"; }
        public String getLogStreamName() { return "stream"; }
        public String getFunctionName() { return "run-worker"; }
        public String getFunctionVersion() { return "1"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:run-worker:live"; }
        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() { return null; }
        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return remainingMillis; }
        public int getMemoryLimitInMB() { return 1024; }
        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() { return null; }
    }

    @Test
    void aMessageForAMissingRunIsDropped() {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("run_gone"));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("not a run id"));

        SQSBatchResponse response = deliver(receive());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(receive()).isEmpty();
    }

    @Test
    void aPoisonMessageFailsAloneThenMarksItsRunFailedAndEndsInTheDeadLetterQueue() throws Exception {
        Goal good = goal();
        Goal broken = goal();
        RunService service = context.getBean(RunService.class);
        Run poisoned = service.trigger("default", broken.id());
        Run healthy = service.trigger("default", good.id());
        // the goal's stored params stop being JSON: every attempt to run it throws before the agent loop
        DynamoTable table = context.getBean(DynamoTable.class);
        Item item = table.get(Keys.goal(broken.id()), Keys.GOAL_SK).orElseThrow();
        item.params = "{not json";
        table.table().putItem(item);

        List<Message> first = receive();
        SQSBatchResponse firstResponse = deliver(first);
        assertThat(firstResponse.getBatchItemFailures()).hasSize(1);
        String poisonId = first.stream().filter(m -> m.body().equals(poisoned.id())).findFirst().orElseThrow().messageId();
        assertThat(firstResponse.getBatchItemFailures().get(0).getItemIdentifier()).isEqualTo(poisonId);
        assertThat(runs().findById(healthy.id()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(runs().findById(poisoned.id()).orElseThrow().status()).isEqualTo(RunStatus.PENDING);

        SQSBatchResponse second = deliver(receive());
        assertThat(second.getBatchItemFailures()).hasSize(1);
        Run failed = runs().findById(poisoned.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).startsWith("Worker gave up after 2 attempts");

        assertThat(receive()).isEmpty(); // a third receive moves it to the dead-letter queue instead
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        assertThat(dead).extracting(Message::body).containsExactly(poisoned.id());
    }
}
