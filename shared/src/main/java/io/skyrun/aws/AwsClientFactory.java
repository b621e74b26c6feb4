package io.skyrun.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/**
 * Builds every AWS SDK client in one place, with explicit timeouts and one shared, renewable
 * URL-connection HTTP client (fast to start in a Lambda; renewed after a SnapStart restore).
 */
@Factory
public class AwsClientFactory {
    private final AwsConfig config;
    private final RenewableHttpClient httpClient;

    public AwsClientFactory(AwsConfig config) {
        this.config = config;
        this.httpClient = new RenewableHttpClient("UrlConnection", () -> UrlConnectionHttpClient.builder()
                .connectionTimeout(config.connectTimeout())
                .socketTimeout(config.attemptTimeout())
                .build());
    }

    /** The HTTP client of every SDK client built here (the SDK does not close a client it was given). */
    @Singleton
    @Bean(preDestroy = "close")
    RenewableHttpClient awsHttpClient() {
        return httpClient;
    }

    @Singleton
    @Requires(property = "skyrun.storage", value = "dynamodb")
    DynamoDbClient dynamoDbClient() {
        return configure(DynamoDbClient.builder(), config.dynamodbEndpoint()).build();
    }

    @Singleton
    @Requires(property = "skyrun.storage", value = "dynamodb")
    DynamoDbEnhancedClient dynamoDbEnhancedClient(DynamoDbClient client) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
    }

    @Singleton
    @Requires(property = "skyrun.queue", value = "sqs")
    SqsClient sqsClient() {
        return configure(SqsClient.builder(), config.sqsEndpoint()).build();
    }

    /** Applies timeouts, region and an endpoint override to any client builder. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String endpoint) {
        builder.region(region());
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .apiCallTimeout(config.callTimeout())
                .apiCallAttemptTimeout(config.attemptTimeout())
                .build());
        if (builder instanceof AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClient(httpClient);
        }
        return builder;
    }

    /** AWS_REGION (always set in Lambda) or the profile; never the instance metadata service. */
    public Region region() {
        try {
            return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                    .getRegion();
        } catch (RuntimeException e) {
            return Region.of(config.region());
        }
    }
}
