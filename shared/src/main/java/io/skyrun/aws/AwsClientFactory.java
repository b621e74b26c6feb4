package io.skyrun.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import javax.crypto.Mac;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Builds every AWS SDK client in one place, with explicit timeouts and one shared, renewable
 * URL-connection HTTP client (fast to start in a Lambda; renewed after a SnapStart restore).
 *
 * <p>The DynamoDB client, which nearly every request uses, is a bean and so built when a Lambda starts. The
 * clients of rare paths (S3, SQS, EventBridge, SES) are {@link LazyClient}s made by {@link #lazy}: built on first use,
 * all built by {@link #buildLazyClients()} before a SnapStart snapshot, and closed with the context.
 */
@Factory
public class AwsClientFactory {
    private static final Logger LOG = LoggerFactory.getLogger(AwsClientFactory.class);
    private final AwsConfig config;
    private final RenewableHttpClient httpClient;
    private final List<LazyClient<?>> lazyClients = new CopyOnWriteArrayList<>();

    public AwsClientFactory(AwsConfig config, @Value("${skyrun.storage:jdbc}") String storage) {
        this.config = config;
        this.httpClient = new RenewableHttpClient("UrlConnection", () -> {
            primeRequestSigning();
            return UrlConnectionHttpClient.builder()
                    .connectionTimeout(config.connectTimeout())
                    .socketTimeout(config.attemptTimeout())
                    .build();
        }, config.httpClientAtStart(), "dynamodb".equals(storage) ? () -> primeRequestPath() : null);
    }

    /** Ends a primed request just before it would be sent. */
    private static final class NotSent extends RuntimeException {
        NotSent() {
            super("primed, not sent", null, false, false);
        }
    }

    /**
     * Takes one DynamoDB request through the SDK up to the moment it would be sent (endpoint rules, credentials,
     * marshalling, signing) on a client of its own, and stops it there: nothing is sent. The first real call then
     * finds that code loaded and set up (a worker's cold start with AppCDS: 735 -> 649 ms median; without:
     * 1953 -> 1754 ms). Run on the background thread that builds the HTTP client at start, after the client is
     * handed out, where every event reads DynamoDB.
     *
     * @return whether the request got as far as being sent (signed and all)
     */
    boolean primeRequestPath() {
        DynamoDbClientBuilder builder = configure(DynamoDbClient.builder(), config.dynamodbEndpoint());
        builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        throw new NotSent();
                    }
                }).build());
        try (DynamoDbClient client = builder.build()) {
            client.getItem(r -> r.tableName("skyrun-priming").key(Map.of("PK", AttributeValue.fromS("priming"))));
        } catch (RuntimeException e) {
            if (e instanceof NotSent || e.getCause() instanceof NotSent) {
                return true;
            }
            LOG.debug("Priming the AWS request path stopped early: {}", e.toString());
        }
        return false;
    }

    /**
     * Every request is signed with HmacSHA256 (SigV4); the first lookup of the algorithm loads the JDK's
     * security providers. Done where the HTTP client is built (see {@link RenewableHttpClient}), which is in
     * the background from start where every event makes AWS calls.
     */
    private static void primeRequestSigning() {
        try {
            Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            LOG.warn("HmacSHA256 is not available; AWS requests cannot be signed", e);
        }
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

    /** A client built on its first use; see the class comment. */
    public <T extends SdkAutoCloseable> LazyClient<T> lazy(Supplier<T> build) {
        LazyClient<T> client = new LazyClient<>(build);
        lazyClients.add(client);
        return client;
    }

    /** Builds every lazy client made so far (SnapStart priming; no AWS call). */
    public void buildLazyClients() {
        for (LazyClient<?> client : lazyClients) {
            try {
                client.get();
            } catch (RuntimeException e) {
                // its first use will fail the same way and say why; the others are still built
                LOG.warn("AWS client not built before the snapshot: {}", e.toString());
            }
        }
    }

    /** The lazy clients made so far. */
    List<LazyClient<?>> lazyClients() {
        return List.copyOf(lazyClients);
    }

    @PreDestroy
    void closeLazyClients() {
        lazyClients.forEach(LazyClient::close);
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
