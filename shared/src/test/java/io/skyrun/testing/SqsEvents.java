package io.skyrun.testing;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns messages received from a real SQS endpoint (ElasticMQ) into the SQS event Lambda's event
 * source mapping delivers, read with the Lambda runtime's own serializer.
 */
public final class SqsEvents {
    private static final PojoSerializer<SQSEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(SQSEvent.class, SqsEvents.class.getClassLoader());

    private SqsEvents() {
    }

    public static SQSEvent of(List<Message> messages) {
        String json = messages.stream().map(m -> "{"
                + "\"messageId\":" + quote(m.messageId()) + ","
                + "\"receiptHandle\":" + quote(m.receiptHandle()) + ","
                + "\"body\":" + quote(m.body()) + ","
                + "\"attributes\":{\"ApproximateReceiveCount\":"
                + quote(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")) + ","
                + "\"SentTimestamp\":\"1795435200000\",\"SenderId\":\"AIDAEXAMPLE\","
                + "\"ApproximateFirstReceiveTimestamp\":\"1795435200001\"},"
                + "\"messageAttributes\":{},\"md5OfBody\":" + quote(String.valueOf(m.md5OfBody())) + ","
                + "\"eventSource\":\"aws:sqs\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:123456789012:skyrun-run-queue\","
                + "\"awsRegion\":\"us-east-1\"}").collect(Collectors.joining(",", "{\"Records\":[", "]}"));
        return SERIALIZER.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
