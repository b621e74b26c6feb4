package software.amazon.awssdk.regions;

import java.util.Map;

/**
 * Replaces the AWS SDK's class of this name (the SDK's copy is left out of every shaded jar): the metadata of a
 * region is loaded when asked for, not that of all regions at once. See {@link LazyMetadata}.
 */
public final class GeneratedRegionMetadataProvider implements RegionMetadataProvider {
    private static final LazyMetadata<Region, RegionMetadata> METADATA =
            new LazyMetadata<>(RegionMetadata.class, "regionmetadata", "", Map.of());

    @Override
    public RegionMetadata regionMetadata(Region region) {
        return METADATA.get(region, region.id());
    }
}
