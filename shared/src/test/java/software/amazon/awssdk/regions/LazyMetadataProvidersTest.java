package software.amazon.awssdk.regions;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * skyrun's lazy metadata providers answer exactly what the AWS SDK's own generated tables answer, for every
 * service and region of the SDK on the classpath: the SDK's classes of the same names are loaded from the regions
 * jar itself, their tables read, and every entry asked of ours. An SDK upgrade that renames a class fails here.
 */
class LazyMetadataProvidersTest {

    @Test
    void theProvidersOnTheClasspathAreSkyrunsNotTheSdks() {
        java.net.URL regionsJar = ServiceMetadata.class.getProtectionDomain().getCodeSource().getLocation();
        for (Class<?> provider : java.util.List.of(GeneratedServiceMetadataProvider.class,
                GeneratedRegionMetadataProvider.class)) {
            assertThat(provider.getProtectionDomain().getCodeSource().getLocation()).as(provider.getName())
                    .isNotEqualTo(regionsJar);
        }
        assertThat(LazyMetadata.class).isNotNull();
    }

    @Test
    void everyServiceOfTheSdkTableIsFoundUnderTheSameClass() throws Exception {
        Map<?, ?> sdk = sdkTable("GeneratedServiceMetadataProvider", "SERVICE_METADATA");
        assertThat(sdk).hasSizeGreaterThan(250);
        GeneratedServiceMetadataProvider ours = new GeneratedServiceMetadataProvider();
        sdk.forEach((prefix, metadata) -> assertThat(ours.serviceMetadata((String) prefix))
                .as("service %s", prefix).isNotNull()
                .hasSameClassAs(metadata));
    }

    @Test
    void everyRegionOfTheSdkTableIsFoundUnderTheSameClass() throws Exception {
        Map<?, ?> sdk = sdkTable("GeneratedRegionMetadataProvider", "REGION_METADATA");
        assertThat(sdk).hasSizeGreaterThan(30);
        GeneratedRegionMetadataProvider ours = new GeneratedRegionMetadataProvider();
        sdk.forEach((region, metadata) -> assertThat(ours.regionMetadata((Region) region))
                .as("region %s", region).isNotNull()
                .hasSameClassAs(metadata));
    }

    @Test
    void unknownNamesHaveNoMetadataAndTheSdkFallsBackToItsDefault() {
        assertThat(new GeneratedServiceMetadataProvider().serviceMetadata("no-such-service")).isNull();
        assertThat(new GeneratedRegionMetadataProvider().regionMetadata(Region.of("xx-nowhere-9"))).isNull();
        assertThat(ServiceMetadata.of("no-such-service")).isInstanceOf(DefaultServiceMetadata.class);
    }

    @Test
    void theSdkAsksOursAndGetsOneInstancePerService() {
        ServiceMetadata dynamodb = ServiceMetadata.of("dynamodb");
        assertThat(dynamodb.getClass().getSimpleName()).isEqualTo("DynamodbServiceMetadata");
        assertThat(ServiceMetadata.of("dynamodb")).isSameAs(dynamodb);
        assertThat(dynamodb.endpointFor(Region.EU_WEST_1).toString()).isEqualTo("dynamodb.eu-west-1.amazonaws.com");
        assertThat(ServiceMetadata.of("s3").getClass().getSimpleName()).isEqualTo("EnhancedS3ServiceMetadata");
        assertThat(Region.US_EAST_1.metadata().description()).isNotBlank();
    }

    /** The private table of the SDK's own class of that name, loaded from the SDK's regions jar. */
    private static Map<?, ?> sdkTable(String className, String field) throws Exception {
        URL regionsJar = ServiceMetadata.class.getProtectionDomain().getCodeSource().getLocation();
        assertThat(regionsJar.getPath()).endsWith(".jar");
        try (SdkCopyLoader loader = new SdkCopyLoader(regionsJar, "software.amazon.awssdk.regions." + className)) {
            Class<?> sdkClass = loader.loadClass("software.amazon.awssdk.regions." + className);
            assertThat(sdkClass.getClassLoader()).isSameAs(loader);
            Field table = sdkClass.getDeclaredField(field);
            table.setAccessible(true);
            return (Map<?, ?>) table.get(null);
        }
    }

    /** Defines one class from the SDK's jar; everything else (the metadata classes too) comes from the test's loader. */
    private static final class SdkCopyLoader extends URLClassLoader {
        private final String only;

        SdkCopyLoader(URL jar, String only) {
            super(new URL[] {jar}, LazyMetadataProvidersTest.class.getClassLoader());
            this.only = only;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(only)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> done = findLoadedClass(name);
                if (done != null) {
                    return done;
                }
                try (InputStream in = getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            try {
                URL url = findResource(name);
                return url == null ? null : url.openStream();
            } catch (IOException e) {
                return null;
            }
        }
    }
}
