package io.skyrun.aws;

import io.micronaut.context.env.PropertySourceLoader;
import io.micronaut.core.beans.BeanIntrospectionReference;
import io.micronaut.core.io.service.MicronautMetaServiceLoaderUtils;
import io.micronaut.core.io.service.ServiceDefinition;
import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.io.service.SoftServiceLoader.StaticServiceLoader;
import io.micronaut.inject.BeanDefinitionReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service index of the Lambda jars: written from the jar's own {@code META-INF/micronaut/}, used only
 * where it covers the whole class path, and loading, type by type, what Micronaut's scan of the class path
 * loads.
 */
class MicronautServiceIndexTest {
    @TempDir
    Path dir;

    private Path jar(String name, String... entries) throws IOException {
        return jar(name, Map.of(), entries);
    }

    private Path jar(String name, Map<String, String> files, String... entries) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new JarEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String index(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry entry = file.getJarEntry(MicronautServiceIndex.INDEX);
            return entry == null ? null : new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static URLClassLoader over(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        // not the test class path: only the given jars (and the JDK) are seen
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void theIndexListsTheJarsMicronautServiceEntriesOncePerLine() throws Exception {
        Path jar = jar("function.jar", "META-INF/", "META-INF/micronaut/", "META-INF/micronaut/io.example.Service/",
                "META-INF/micronaut/io.example.Service/io.example.B", "META-INF/micronaut/io.example.Service/io.example.A",
                "META-INF/micronaut/io.example.Other/", "META-INF/micronaut/io.example.Other/io.example.C",
                "META-INF/services/io.example.Service", "io/example/A.class");

        Map<String, List<String>> micronautsListing = new LinkedHashMap<>();
        try (URLClassLoader loader = over(jar)) {
            MicronautMetaServiceLoaderUtils.findAllMicronautMetaServices(loader)
                    .forEach((type, entries) -> micronautsListing.put(type, new ArrayList<>(entries)));
        }
        MicronautServiceIndex.main(new String[]{jar.toString()});
        String first = index(jar);
        MicronautServiceIndex.main(new String[]{jar.toString()});

        assertThat(index(jar)).isEqualTo(first);
        assertThat(first.lines().filter(line -> !line.startsWith("#")).sorted()).containsExactly(
                "io.example.Other/io.example.C", "io.example.Service/io.example.A", "io.example.Service/io.example.B");
        try (URLClassLoader loader = over(jar)) {
            // each type's entries in the order Micronaut's own listing of the jar gives them
            assertThat(MicronautServiceIndex.read(loader)).isEqualTo(micronautsListing);
        }
    }

    @Test
    void servicesUnderALeftOutPrefixAreNotIndexed() throws Exception {
        Path jar = jar("worker.jar", "META-INF/", "META-INF/micronaut/", "META-INF/micronaut/io.example.Service/",
                "META-INF/micronaut/io.example.Service/io.micronaut.http.server.$Router$Definition",
                "META-INF/micronaut/io.example.Service/io.micronaut.http.client.$Client$Definition",
                "META-INF/micronaut/io.example.Service/io.micronaut.web.router.$Routes$Definition",
                "META-INF/micronaut/io.example.Service/io.micronaut.httpx.$Kept$Definition",
                "META-INF/micronaut/io.example.Service/io.skyrun.runs.$RunExecutor$Definition");

        // WHEN indexing with two prefixes left out (spaces and an empty item are ignored)
        MicronautServiceIndex.main(new String[]{"--leave-out=io.micronaut.http., io.micronaut.web.,", jar.toString()});

        // THEN their entries are gone, the rest kept, and the index says what it left out
        String index = index(jar);
        assertThat(index.lines().filter(line -> !line.startsWith("#")).sorted()).containsExactly(
                "io.example.Service/io.micronaut.httpx.$Kept$Definition",
                "io.example.Service/io.skyrun.runs.$RunExecutor$Definition");
        assertThat(index).contains("# left out: io.micronaut.http.,io.micronaut.web.\n");
        try (URLClassLoader loader = over(jar)) {
            assertThat(MicronautServiceIndex.read(loader)).containsOnlyKeys("io.example.Service");
        }

        // and an empty option (the pom's default) leaves nothing out
        MicronautServiceIndex.main(new String[]{"--leave-out=", jar.toString()});
        assertThat(index(jar).lines().filter(line -> !line.startsWith("#"))).hasSize(5);
        assertThat(index(jar)).doesNotContain("left out");
    }

    @Test
    void theIndexIsUsedOnlyWhereItCoversTheWholeClassPath() throws Exception {
        Path indexed = jar("function.jar", "META-INF/", "META-INF/micronaut/", "META-INF/micronaut/io.example.Service/",
                "META-INF/micronaut/io.example.Service/io.example.A");
        MicronautServiceIndex.main(new String[]{indexed.toString()});
        Path another = jar("layer.jar", "META-INF/", "META-INF/micronaut/", "META-INF/micronaut/io.example.Service/",
                "META-INF/micronaut/io.example.Service/io.example.Z");
        Path unindexed = jar("plain.jar", "META-INF/", "META-INF/micronaut/", "META-INF/micronaut/io.example.Service/",
                "META-INF/micronaut/io.example.Service/io.example.A");

        try (URLClassLoader alone = over(indexed); URLClassLoader withALayer = over(indexed, another);
             URLClassLoader without = over(unindexed)) {
            assertThat(MicronautServiceIndex.read(alone)).containsOnlyKeys("io.example.Service");
            assertThat(MicronautServiceIndex.read(withALayer)).as("services outside the indexed jar").isNull();
            assertThat(MicronautServiceIndex.read(without)).isNull();
        }
        // the tests' own class path (directories and many jars) has no index: Micronaut scans there
        assertThat(MicronautServiceIndex.read(getClass().getClassLoader())).isNull();
        assertThat(new MicronautServiceIndex().load().getServiceLoaders()).isEmpty();
    }

    /** The index Micronaut's scan finds on the tests' class path, as the build would write it for one jar. */
    private static Map<String, StaticServiceLoader<?>> indexedLikeTheScan(ClassLoader classLoader) throws IOException {
        Map<String, List<String>> index = new LinkedHashMap<>();
        MicronautMetaServiceLoaderUtils.findAllMicronautMetaServices(classLoader)
                .forEach((type, entries) -> index.put(type, new ArrayList<>(entries)));
        return MicronautServiceIndex.loaders(index, classLoader);
    }

    private static List<String> classNames(List<?> services) {
        return services.stream().map(service -> service.getClass().getName()).sorted().toList();
    }

    @Test
    void eachServiceTypeLoadsWhatMicronautsScanLoads() throws Exception {
        ClassLoader classLoader = getClass().getClassLoader();
        Map<String, StaticServiceLoader<?>> loaders = indexedLikeTheScan(classLoader);

        // bean definitions, as DefaultBeanContext loads them
        List<?> definitions = MicronautMetaServiceLoaderUtils.findMetaMicronautServiceEntries(classLoader,
                BeanDefinitionReference.class, null);
        assertThat(classNames(loaders.get(BeanDefinitionReference.class.getName()).load(null)))
                .isNotEmpty().isEqualTo(classNames(definitions));
        // other types, as SoftServiceLoader loads and iterates them
        for (Class<?> type : List.of(BeanIntrospectionReference.class, PropertySourceLoader.class)) {
            List<?> scanned = SoftServiceLoader.load(type, classLoader).collectAll();
            List<?> indexed = loaders.get(type.getName()).load(null);

            assertThat(classNames(indexed)).as(type.getName()).isNotEmpty().isEqualTo(classNames(scanned));
            List<String> scannedNames = StreamSupport.stream(SoftServiceLoader.load(type, classLoader).spliterator(), false)
                    .filter(ServiceDefinition::isPresent).map(ServiceDefinition::getName).sorted().toList();
            assertThat(loaders.get(type.getName()).findAll(name -> true).map(ServiceDefinition::getName).sorted())
                    .as(type.getName()).containsExactlyElementsOf(scannedNames);
        }
        assertThat(loaders.containsKey("io.example.NoSuchService")).as("every type is answered").isTrue();
        assertThat(loaders.get("io.example.NoSuchService").load(null)).isEmpty();
    }

    /** DefaultBeanContext reads bean definitions from META-INF/micronaut/ only; SoftServiceLoader reads both. */
    @Test
    void beanDefinitionsComeFromMicronautsDirectoryAloneOtherTypesAlsoFromServicesFiles() throws Exception {
        String definitions = BeanDefinitionReference.class.getName();
        Path jar = jar("function.jar", Map.of(
                        "META-INF/services/" + definitions, "java.util.LinkedList\n",
                        "META-INF/services/java.util.List", "# a comment\njava.util.LinkedList#the other\n"),
                "META-INF/", "META-INF/micronaut/", "META-INF/micronaut/" + definitions + "/",
                "META-INF/micronaut/" + definitions + "/java.util.ArrayList", "META-INF/micronaut/java.util.List/",
                "META-INF/micronaut/java.util.List/java.util.ArrayList");
        MicronautServiceIndex.main(new String[]{jar.toString()});

        try (URLClassLoader loader = over(jar)) {
            Map<String, StaticServiceLoader<?>> loaders = MicronautServiceIndex.loaders(MicronautServiceIndex.read(loader), loader);

            assertThat(classNames(loaders.get(definitions).load(null))).containsExactly("java.util.ArrayList")
                    .isEqualTo(classNames(MicronautMetaServiceLoaderUtils.findMetaMicronautServiceEntries(loader,
                            BeanDefinitionReference.class, null)));
            assertThat(loaders.get("java.util.List").load(null)).extracting(o -> o.getClass().getName())
                    .containsExactly("java.util.LinkedList", "java.util.ArrayList")
                    .isEqualTo(SoftServiceLoader.load(List.class, loader).collectAll().stream()
                            .map(o -> o.getClass().getName()).toList());
        }
    }

    @Test
    void namesTheConditionRefusesAndClassesThatAreMissingAreSkipped() {
        Map<String, StaticServiceLoader<?>> loaders = MicronautServiceIndex.loaders(Map.of(
                PropertySourceLoader.class.getName(), List.of("io.example.Missing")), getClass().getClassLoader());
        StaticServiceLoader<?> loader = loaders.get(PropertySourceLoader.class.getName());

        // META-INF/services names (Micronaut's YAML and properties loaders) come first; the missing class is skipped
        assertThat(classNames(loader.load(null))).isNotEmpty().allMatch(name -> name.startsWith("io.micronaut."));
        assertThat(loader.findAll(name -> true).map(ServiceDefinition::getName)).doesNotContain("io.example.Missing");
        assertThat(loader.load(name -> name.contains("Yaml"), null)).singleElement()
                .extracting(service -> service.getClass().getSimpleName()).isEqualTo("YamlPropertySourceLoader");
    }

    @Test
    void aJarWithoutServicesGetsAnEmptyIndex() throws Exception {
        Path jar = jar("bare.jar", "io/", "io/example/A.class");
        MicronautServiceIndex.main(new String[]{jar.toString()});
        assertThat(index(jar).lines().filter(line -> !line.startsWith("#"))).isEmpty();
    }
}
