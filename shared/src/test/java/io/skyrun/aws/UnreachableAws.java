package io.skyrun.aws;

import io.skyrun.testing.DynamoLocal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deployed stack's run queue and schedule settings on DynamoDB Local, with SQS and EventBridge where nothing
 * listens.
 */
final class UnreachableAws {
    private UnreachableAws() {
    }

    /** A new, modifiable map. */
    static Map<String, Object> queueAndScheduler() {
        Map<String, Object> properties = new LinkedHashMap<>(DynamoLocal.properties());
        properties.put("skyrun.queue", "sqs");
        properties.put("skyrun.sqs.queue-url", "http://127.0.0.1:1/000000000000/runs");
        properties.put("skyrun.aws.sqs-endpoint", "http://127.0.0.1:1");
        properties.put("skyrun.scheduler", "eventbridge");
        properties.put("skyrun.aws.eventbridge-endpoint", "http://127.0.0.1:1");
        properties.put("skyrun.eventbridge.target-arn", "arn:aws:lambda:us-east-1:123456789012:function:trigger:live");
        properties.put("skyrun.eventbridge.dead-letter-arn", "arn:aws:sqs:us-east-1:123456789012:schedule-dlq");
        return properties;
    }
}
