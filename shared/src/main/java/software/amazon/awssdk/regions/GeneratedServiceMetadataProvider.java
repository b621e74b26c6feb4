package software.amazon.awssdk.regions;

import java.util.Map;

/**
 * Replaces the AWS SDK's class of this name (the SDK's copy is left out of every shaded jar): the metadata of
 * a service is loaded when a client of that service asks for it, not that of all 300 services at once. See
 * {@link LazyMetadata}.
 */
public final class GeneratedServiceMetadataProvider implements ServiceMetadataProvider {
    private static final LazyMetadata<String, ServiceMetadata> METADATA =
            new LazyMetadata<>(ServiceMetadata.class, "servicemetadata", "ServiceMetadata", Map.of("s3", "EnhancedS3"));

    @Override
    public ServiceMetadata serviceMetadata(String endpointPrefix) {
        return METADATA.get(endpointPrefix, endpointPrefix);
    }
}
