package software.amazon.awssdk.regions;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads one generated metadata class of the AWS SDK by the name its code generator gives it, on first use, and
 * keeps it. The two providers beside this class replace the SDK's own, whose static initializers build an
 * instance of every service's (300+) and every region's (50+) metadata class on the first client build: a few
 * hundred classes and 100-250 ms of a Lambda cold start for the two or three services a function talks to
 * (aws/aws-sdk-java-v2#3664; fixed upstream by #7161 in an SDK release whose service modules this build's
 * registry does not serve). {@code LazyMetadataProvidersTest} checks the names against the SDK's own tables.
 */
final class LazyMetadata<K, V> {
    private static final String PACKAGE = "software.amazon.awssdk.regions.";

    private final Class<V> type;
    private final String subpackage;
    private final String suffix;
    private final Map<String, String> exceptions;
    private final Map<K, Optional<V>> loaded = new ConcurrentHashMap<>();

    LazyMetadata(Class<V> type, String subpackage, String suffix, Map<String, String> exceptions) {
        this.type = type;
        this.subpackage = subpackage;
        this.suffix = suffix;
        this.exceptions = exceptions;
    }

    /** The metadata of {@code id} (a service's endpoint prefix or a region id), null when the SDK has none. */
    V get(K key, String id) {
        return loaded.computeIfAbsent(key, k -> load(id)).orElse(null);
    }

    /**
     * The simple class name the SDK's code generator gives {@code id}: "api.ecr" is "ApiEcr", "us-east-1" "UsEast1".
     */
    String className(String id) {
        String known = exceptions.get(id);
        if (known != null) {
            return known + suffix;
        }
        StringBuilder name = new StringBuilder();
        for (String part : id.split("[-.]")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part, 1, part.length());
            }
        }
        return name.append(suffix).toString();
    }

    private Optional<V> load(String id) {
        try {
            Class<?> found = Class.forName(PACKAGE + subpackage + "." + className(id), true,
                    LazyMetadata.class.getClassLoader());
            return Optional.of(type.cast(found.getDeclaredConstructor().newInstance()));
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            // no such class (or, on a case-insensitive file system, one of another case): the SDK's default
            return Optional.empty();
        }
    }
}
