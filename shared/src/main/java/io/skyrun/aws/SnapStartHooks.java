package io.skyrun.aws;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.json.JsonMapper;
import io.skyrun.errors.ApiError;
import io.skyrun.http.RateLimitFilter;
import io.skyrun.ids.Ids;
import jakarta.annotation.PostConstruct;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;

import java.util.List;

/**
 * Lambda SnapStart runtime hooks (the CRaC API): before the snapshot, builds what a first request would
 * otherwise build; after each restore, renews what copies of one snapshot must not share.
 *
 * <p>Only a Lambda jar carries {@code org.crac} (the function modules depend on it, the local server does not),
 * so this bean exists only there. What is renewed after a restore, and why:
 * <ul>
 *   <li>{@link Ids}: the captured last id and random state would repeat across copies ({@link Ids#reseed()});</li>
 *   <li>{@link RateLimitFilter}: request counts of the snapshot's minute belong to no copy;</li>
 *   <li>{@link RenewableHttpClient}: connections and TLS sessions opened before the snapshot are dead or shared.</li>
 * </ul>
 * Everything else reads the clock per call, and SDK credentials are fetched and refreshed by their providers
 * when a call needs them; priming makes no AWS call, so it needs no credentials.
 */
@Context
@Requires(classes = Resource.class)
public class SnapStartHooks implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartHooks.class);

    private final BeanContext beans;

    public SnapStartHooks(BeanContext beans) {
        this.beans = beans;
    }

    @PostConstruct
    void register() {
        // the global context may hold resources weakly; the application context holds this bean
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            prime();
        } catch (RuntimeException | LinkageError e) {
            // priming only saves time after a restore; it must never cost the snapshot
            LOG.warn("SnapStart priming incomplete: {}", e.toString());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        Ids.reseed();
        beans.findBean(RateLimitFilter.class).ifPresent(RateLimitFilter::forgetCounts);
        beans.findBean(RenewableHttpClient.class).ifPresent(RenewableHttpClient::renew);
    }

    /** Creates every skyrun singleton (repositories, services, controllers), every SDK client, and warms serde. */
    void prime() {
        List<BeanDefinition<?>> singletons = beans.getBeanDefinitions(Object.class).stream()
                .<BeanDefinition<?>>map(d -> d)
                .filter(BeanDefinition::isSingleton)
                // skyrun's beans, and the SDK clients its factories make (some are only built on first use)
                .filter(d -> d.getBeanType().getName().startsWith("io.skyrun.")
                        || d.getBeanType().getName().startsWith("software.amazon.awssdk."))
                .filter(d -> !d.getBeanType().equals(SnapStartHooks.class))
                .toList();
        for (BeanDefinition<?> definition : singletons) {
            try {
                beans.getBean(definition);
            } catch (RuntimeException | LinkageError e) {
                // priming goes on with the others; no bean of a function jar fails here (LambdaJarsIT), so one
                // that does is a defect the first request needing it would meet
                LOG.warn("Not primed: {}", definition.getBeanType().getName(), e);
            }
        }
        // the clients of rare paths, which their adapters build on first use (LazyClient)
        beans.findBean(AwsClientFactory.class).ifPresent(AwsClientFactory::buildLazyClients);
        JsonMapper json = beans.getBean(JsonMapper.class);
        try {
            json.writeValueAsBytes(new ApiError("primed"));
            json.readValue("{\"objective\":\"primed\",\"params\":{\"stepBudget\":1}}",
                    Argument.mapOf(String.class, Object.class));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (beans.containsBean(DynamoDbClient.class)) {
            // the endpoint rules engine is a large part of the SDK's first call; resolving needs no network
            Region region = beans.getBean(DynamoDbClient.class).serviceClientConfiguration().region();
            DynamoDbEndpointProvider.defaultProvider().resolveEndpoint(p -> p.region(region)).join();
        }
    }
}
