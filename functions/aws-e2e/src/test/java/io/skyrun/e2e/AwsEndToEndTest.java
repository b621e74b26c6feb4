package io.skyrun.e2e;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.skyrun.aws.HttpApiFunction;
import io.skyrun.schedule.eventbridge.EventBridgeRecorder;
import io.skyrun.testing.Api;
import io.skyrun.testing.DynamoLocal;
import io.skyrun.testing.HttpApiEvents;
import io.skyrun.testing.SqsEvents;
import io.skyrun.trigger.ScheduleTriggerHandler;
import io.skyrun.worker.RunWorkerHandler;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS path end to end on emulators: each Lambda handler in its own application context, as each
 * function is deployed, sharing one DynamoDB Local table, one ElasticMQ run queue and the EventBridge
 * recorder. The test plays API Gateway, SQS's event source mapping and EventBridge between them.
 */
class AwsEndToEndTest {
    static SQSRestServer elasticMq;
    static EventBridgeRecorder eventBridge;
    static SqsClient sqs;
    static String queueUrl;
    static HttpApiFunction goalsApi;
    static HttpApiFunction runsApi;
    static RunWorkerHandler worker;
    static ScheduleTriggerHandler trigger;

    @BeforeAll
    static void deploy() {
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        String sqsEndpoint = "http://127.0.0.1:" + elasticMq.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        queueUrl = sqs.createQueue(b -> b.queueName("skyrun-run-queue")).queueUrl();
        eventBridge = EventBridgeRecorder.start();

        Map<String, Object> env = new LinkedHashMap<>(DynamoLocal.properties());
        env.put("skyrun.dynamodb.table", "skyrun-e2e-" + UUID.randomUUID());
        env.put("skyrun.queue", "sqs");
        env.put("skyrun.aws.sqs-endpoint", sqsEndpoint);
        env.put("skyrun.sqs.queue-url", queueUrl);
        env.put("skyrun.scheduler", "eventbridge");
        env.put("skyrun.aws.eventbridge-endpoint", eventBridge.endpoint().toString());
        env.put("skyrun.eventbridge.target-arn", "arn:aws:lambda:us-east-1:123456789012:function:schedule-trigger:live");
        env.put("skyrun.eventbridge.dead-letter-arn", "arn:aws:sqs:us-east-1:123456789012:skyrun-schedule-dlq");
        env.put("skyrun.rate-limit.per-minute", 0);

        goalsApi = new HttpApiFunction(function(env));
        runsApi = new HttpApiFunction(function(env));
        worker = new RunWorkerHandler(function(env));
        trigger = new ScheduleTriggerHandler(function(env));
    }

    private static ApplicationContext function(Map<String, Object> env) {
        return ApplicationContext.builder().properties(env).environments("test").start();
    }

    @AfterAll
    static void tearDown() {
        goalsApi.close();
        runsApi.close();
        worker.close();
        trigger.close();
        eventBridge.close();
        elasticMq.stopAndWait();
    }

    private static JsonNode api(HttpApiFunction function, String method, String path, String body,
                                int expectedStatus) throws Exception {
        APIGatewayV2HTTPResponse response = function.handleRequest(HttpApiEvents.event(method, path, body), null);
        assertThat(response.getStatusCode()).as(method + " " + path + ": " + response.getBody()).isEqualTo(expectedStatus);
        return Api.JSON.readTree(response.getBody());
    }

    /** One poll of the SQS event source mapping: receive, invoke the worker, delete what it did not fail. */
    private static List<String> pollRunQueue() {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(2)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        SQSBatchResponse response = worker.handleRequest(SqsEvents.of(messages), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        messages.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        return messages.stream().map(Message::body).toList();
    }

    @Test
    void aRunTriggeredThroughTheApiIsExecutedByTheWorkerAndReadThroughTheRunsApi() throws Exception {
        JsonNode goal = api(goalsApi, "POST", "/api/v1/goals", "{\"objective\":\"End to end on the AWS path\","
                + "\"params\":{\"allowedTools\":[\"current_time\"],\"constraints\":{\"timezone\":\"Asia/Tokyo\"}}}", 201);

        String runId = api(goalsApi, "POST", "/api/v1/goals/" + goal.path("id").asText() + "/run", null, 200)
                .path("runId").asText();
        assertThat(api(runsApi, "GET", "/api/v1/runs/" + runId, null, 200).path("status").asText()).isEqualTo("pending");
        assertThat(pollRunQueue()).containsExactly(runId);

        JsonNode run = api(runsApi, "GET", "/api/v1/runs/" + runId, null, 200);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("goal").path("id").asText()).isEqualTo(goal.path("id").asText());
        JsonNode steps = api(runsApi, "GET", "/api/v1/runs/" + runId + "/steps", null, 200);
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).path("observation").asText()).contains("Asia/Tokyo");
    }

    @Test
    void aScheduleBecomesRulesWhoseFireEndsInACompletedRun() throws Exception {
        JsonNode goal = api(goalsApi, "POST", "/api/v1/goals", "{\"objective\":\"Scheduled end to end run\","
                + "\"params\":{\"allowedTools\":[\"current_time\"]},"
                + "\"schedule\":{\"cronExpr\":\"0 9 * * *\",\"timezone\":\"Europe/Berlin\"}}", 201);
        String scheduleId = api(goalsApi, "GET", "/api/v1/goals/" + goal.path("id").asText(), null, 200)
                .path("schedules").get(0).path("id").asText();
        List<EventBridgeRecorder.StoredRule> rules = eventBridge.rules("default").stream()
                .filter(r -> r.name().startsWith("skyrun-" + scheduleId + "-")).toList();
        assertThat(rules).hasSize(2);

        // EventBridge: the summer rule fires at 07:00Z; its target's input transformer adds the event time
        String template = rules.stream().filter(r -> r.expression().equals("cron(0 7 * * ? *)")).findFirst().orElseThrow()
                .targets().get("skyrun-trigger").path("InputTransformer").path("InputTemplate").asText();
        Map<String, Object> input = Api.JSON.readValue(template.replace("<time>", "\"2026-07-01T07:00:00Z\""),
                new TypeReference<Map<String, Object>>() { });
        Map<String, Object> fired = trigger.handleRequest(input, null);

        assertThat(fired).containsEntry("started", true);
        String runId = (String) fired.get("runId");
        assertThat(pollRunQueue()).containsExactly(runId);
        JsonNode run = api(runsApi, "GET", "/api/v1/runs/" + runId, null, 200);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("workingMemory").path("trigger").asText()).isEqualTo(scheduleId);
    }
}
