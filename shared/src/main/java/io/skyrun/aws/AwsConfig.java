package io.skyrun.aws;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How the AWS SDK clients are built. Region, credentials and endpoints otherwise come from the SDK's
 * standard sources ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_DYNAMODB}, ...); the endpoint fields
 * here override them, which tests use to point at emulators.
 *
 * @param region            region when the SDK finds none (e.g. on a laptop)
 * @param dynamodbEndpoint  DynamoDB endpoint override
 * @param sqsEndpoint       SQS endpoint override
 * @param eventbridgeEndpoint EventBridge endpoint override
 * @param s3Endpoint        S3 endpoint override (output files); path-style addressing when set
 * @param sesEndpoint       SES endpoint override (output emails)
 * @param connectTimeout    TCP connect timeout
 * @param callTimeout       limit of one API call including retries
 * @param attemptTimeout    limit of one attempt
 * @param httpClientAtStart build the HTTP client of the SDK clients (TLS, the JDK's trust store) on a background
 *                          thread from start rather than on the first AWS call, and then, with DynamoDB storage, take
 *                          one DynamoDB request through the SDK up to sending it: for functions whose every event
 *                          makes one (the run-worker and schedule-trigger set it in their application-function.yml)
 */
@ConfigurationProperties("skyrun.aws")
public record AwsConfig(
        @Bindable(defaultValue = "us-east-1") String region,
        @Nullable String dynamodbEndpoint,
        @Nullable String sqsEndpoint,
        @Nullable String eventbridgeEndpoint,
        @Nullable String s3Endpoint,
        @Nullable String sesEndpoint,
        @Bindable(defaultValue = "2s") Duration connectTimeout,
        @Bindable(defaultValue = "10s") Duration callTimeout,
        @Bindable(defaultValue = "3s") Duration attemptTimeout,
        @Bindable(defaultValue = "false") boolean httpClientAtStart) {
}
