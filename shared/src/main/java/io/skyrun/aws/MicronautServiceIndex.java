package io.skyrun.aws;

import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.io.service.SoftServiceLoader.StaticDefinition;
import io.micronaut.core.io.service.SoftServiceLoader.StaticServiceLoader;
import io.micronaut.core.optim.StaticOptimizations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Micronaut's services (bean definitions, introspections, context configurers) from an index written into a
 * jar when it is built, instead of from a listing of the jar's {@code META-INF/micronaut/<type>/} directories.
 *
 * <p>Micronaut lists those directories by mounting the jar as a zip file system, which reads the header of
 * every entry in the jar: tens of milliseconds for the 17,000-22,000 entries of a function jar, on every cold
 * start from a jar (the AppCDS deployment needs one; Lambda extracts a plain deployment package into a
 * directory, where the listing is a cheap directory walk and the index is used all the same). The build (the
 * {@code service-index} execution in the parent pom) runs {@link #main} on each shaded jar, which writes the
 * listing, in the jar's own order, to {@value #INDEX}; at start this loader hands it to Micronaut through
 * Micronaut's own hook for build-time service lists ({@link StaticOptimizations}, registered in
 * {@code META-INF/services}, as Micronaut AOT does). Each service type is then loaded as Micronaut loads it:
 * bean definitions and bean configurations from {@code META-INF/micronaut/} alone (as {@code DefaultBeanContext}
 * does), other types from the names in {@code META-INF/services/<type>} files, then the indexed ones; classes
 * that are missing or cannot be constructed are skipped alike. One difference, shared with Micronaut AOT: a
 * listed class that is missing is left out of {@code SoftServiceLoader}'s iteration, where Micronaut's scan
 * returns it as "not present" (which {@code first()} would return).
 *
 * <p>The index is used only when it describes the whole class path: found, and in the same jar or directory
 * as the only {@code META-INF/micronaut/} directory there is. Anywhere else (the tests, a class path of many
 * jars) Micronaut scans as it always does.
 */
public final class MicronautServiceIndex implements StaticOptimizations.Loader<SoftServiceLoader.Optimizations> {
    /** Where the index is, in the jar: one {@code <service type>/<implementation class>} per line. */
    public static final String INDEX = "META-INF/skyrun/micronaut-services.idx";
    private static final String SERVICES = "META-INF/micronaut/";
    private static final String LEAVE_OUT = "--leave-out=";
    private static final MethodType NO_ARGUMENTS = MethodType.methodType(void.class);
    /** The types DefaultBeanContext loads from META-INF/micronaut/ only (findMetaMicronautServiceEntries). */
    private static final Set<String> MICRONAUT_ONLY = Set.of("io.micronaut.inject.BeanDefinitionReference",
            "io.micronaut.inject.BeanConfiguration");

    @Override
    public SoftServiceLoader.Optimizations load() {
        ClassLoader classLoader = MicronautServiceIndex.class.getClassLoader();
        Map<String, List<String>> index = read(classLoader);
        return new SoftServiceLoader.Optimizations(index == null ? Map.of() : loaders(index, classLoader));
    }

    /** A loader for every service type name: the indexed implementations of it, or none. */
    static Map<String, StaticServiceLoader<?>> loaders(Map<String, List<String>> index, ClassLoader classLoader) {
        return new Loaders(index, classLoader);
    }

    /** The index of the jar or directory the class path's Micronaut services are in; null where not usable. */
    static Map<String, List<String>> read(ClassLoader classLoader) {
        try {
            URL index = classLoader.getResource(INDEX);
            if (index == null) {
                return null;
            }
            List<URL> serviceDirectories = Collections.list(classLoader.getResources(SERVICES));
            if (serviceDirectories.size() != 1 || !root(serviceDirectories.get(0), SERVICES).equals(root(index, INDEX))) {
                return null;
            }
            Map<String, List<String>> services = new LinkedHashMap<>();
            try (InputStream in = index.openStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    int slash = line.indexOf('/');
                    if (line.isBlank() || line.startsWith("#") || slash < 1) {
                        continue;
                    }
                    services.computeIfAbsent(line.substring(0, slash), type -> new ArrayList<>())
                            .add(line.substring(slash + 1));
                }
            }
            return services;
        } catch (IOException e) {
            return null; // Micronaut scans instead
        }
    }

    private static String root(URL url, String resource) {
        String text = url.toString();
        return text.endsWith(resource) ? text.substring(0, text.length() - resource.length()) : text;
    }

    /**
     * Writes the index into jars: {@code java -cp <skyrun-shared and Micronaut> io.skyrun.aws.MicronautServiceIndex
     * [--leave-out=<prefix>,...] <jar>...}. Replaces an index already there.
     *
     * <p>{@code --leave-out} names class-name prefixes whose services the index leaves out, for a function that
     * never uses them: the run-worker and the schedule-trigger serve no HTTP, and leave out Micronaut's HTTP layer
     * ({@code io.micronaut.http.,io.micronaut.web.}: server, router, body handlers, SSL and static-resource
     * configuration), 106 of their 280 bean definitions, whose classes Micronaut would otherwise load and initialise
     * at every start. Those classes stay in the jar. A bean that needed a left-out definition would fail only where
     * the index is used (the jar, not the module tests, which scan the class path): the jar tests
     * ({@code LambdaJarsIT}) prime every singleton of each jar and run a schedule through all of them.
     */
    public static void main(String[] args) throws IOException {
        List<String> leaveOut = new ArrayList<>();
        List<String> jars = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith(LEAVE_OUT)) {
                Stream.of(arg.substring(LEAVE_OUT.length()).split(",")).map(String::strip).filter(p -> !p.isEmpty())
                        .forEach(leaveOut::add);
            } else {
                jars.add(arg);
            }
        }
        for (String jar : jars) {
            write(Path.of(jar), leaveOut);
        }
    }

    private static void write(Path jar, List<String> leaveOut) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(jar, (ClassLoader) null)) {
            Path services = zip.getPath(SERVICES);
            TreeMap<String, List<String>> index = new TreeMap<>();
            int left = 0;
            if (Files.isDirectory(services)) {
                try (Stream<Path> types = Files.list(services)) {
                    for (Path type : types.filter(Files::isDirectory).toList()) {
                        List<String> entries;
                        try (Stream<Path> listing = Files.list(type)) {
                            // in the order Micronaut's own listing of the jar gives
                            entries = listing.filter(Files::isRegularFile).map(MicronautServiceIndex::name)
                                    .filter(entry -> !entry.startsWith(".")).toList();
                        }
                        List<String> kept = entries.stream()
                                .filter(entry -> leaveOut.stream().noneMatch(entry::startsWith)).toList();
                        left += entries.size() - kept.size();
                        index.put(name(type), kept);
                    }
                }
            }
            StringBuilder text = new StringBuilder("# META-INF/micronaut/ of this jar, for io.skyrun.aws.MicronautServiceIndex\n");
            if (!leaveOut.isEmpty()) {
                text.append("# left out: ").append(String.join(",", leaveOut)).append('\n');
            }
            index.forEach((type, entries) -> entries.forEach(entry -> text.append(type).append('/').append(entry).append('\n')));
            Path file = zip.getPath(INDEX);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.out.printf("%s: %d service types, %d entries indexed, %d left out%n", jar, index.size(),
                    index.values().stream().mapToInt(List::size).sum(), left);
        }
    }

    private static String name(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    /** Answers for any type name, as Micronaut asks only this map once it is given one. */
    private static final class Loaders extends AbstractMap<String, StaticServiceLoader<?>> {
        private final Map<String, List<String>> index;
        private final ClassLoader classLoader;
        private final Map<String, StaticServiceLoader<?>> loaders = new ConcurrentHashMap<>();

        Loaders(Map<String, List<String>> index, ClassLoader classLoader) {
            this.index = index;
            this.classLoader = classLoader;
        }

        @Override
        public StaticServiceLoader<?> get(Object type) {
            if (!(type instanceof String name)) {
                return null;
            }
            return loaders.computeIfAbsent(name, n -> new IndexedLoader<>(n, index.getOrDefault(n, List.of()), classLoader));
        }

        @Override
        public boolean containsKey(Object type) {
            return type instanceof String;
        }

        @Override
        public Set<Entry<String, StaticServiceLoader<?>>> entrySet() {
            Set<Entry<String, StaticServiceLoader<?>>> entries = new LinkedHashSet<>();
            for (String type : index.keySet()) {
                entries.add(new SimpleImmutableEntry<>(type, get(type)));
            }
            return entries;
        }
    }

    /** One service type: its {@code META-INF/services} names, then its indexed ones. */
    private record IndexedLoader<S>(String type, List<String> indexed, ClassLoader classLoader)
            implements StaticServiceLoader<S> {

        /** As Micronaut's scan iterates a type: present when the class is, instantiated when loaded. */
        @Override
        @SuppressWarnings("unchecked")
        public Stream<StaticDefinition<S>> findAll(Predicate<String> condition) {
            List<StaticDefinition<S>> found = new ArrayList<>();
            for (String name : names()) {
                if (condition == null || condition.test(name)) {
                    Class<?> implementation;
                    try {
                        implementation = Class.forName(name, false, classLoader);
                    } catch (ClassNotFoundException | NoClassDefFoundError e) {
                        continue;
                    }
                    found.add(StaticDefinition.of(name, () -> {
                        try {
                            return (S) implementation.getDeclaredConstructor().newInstance();
                        } catch (Throwable e) {
                            throw new ServiceConfigurationError("Error loading service [" + name + "]: " + e.getMessage(), e);
                        }
                    }));
                }
            }
            return found.stream();
        }

        /** As Micronaut's scan loads a type: instances of the classes that are there and can be constructed. */
        @Override
        public List<S> load(Predicate<String> condition, Predicate<S> predicate) {
            List<S> loaded = new ArrayList<>();
            for (String name : names()) {
                if (condition == null || condition.test(name)) {
                    MethodHandle constructor = constructor(name);
                    S service = constructor == null ? null : newInstance(name, constructor);
                    if (service != null && (predicate == null || predicate.test(service))) {
                        loaded.add(service);
                    }
                }
            }
            return loaded;
        }

        private Set<String> names() {
            Set<String> names = new LinkedHashSet<>();
            if (!MICRONAUT_ONLY.contains(type)) {
                try {
                    for (URL file : Collections.list(classLoader.getResources("META-INF/services/" + type))) {
                        names.addAll(serviceFileNames(file));
                    }
                } catch (IOException | UncheckedIOException e) {
                    // as Micronaut's scan: an unreadable services file adds nothing
                }
            }
            names.addAll(indexed);
            return names;
        }

        /** The names in one services file, read as Micronaut's ServiceScanner reads them. */
        private static List<String> serviceFileNames(URL file) throws IOException {
            List<String> names = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isEmpty() || line.charAt(0) == '#') {
                        continue;
                    }
                    int comment = line.indexOf('#');
                    names.add(comment > -1 ? line.substring(0, comment) : line);
                }
            }
            return names;
        }

        /** The public no-argument constructor; null where the class or it is missing, as Micronaut's scan skips those. */
        private MethodHandle constructor(String name) {
            try {
                return MethodHandles.publicLookup().findConstructor(Class.forName(name, false, classLoader), NO_ARGUMENTS);
            } catch (ClassNotFoundException | NoClassDefFoundError | NoSuchMethodException | IllegalAccessException e) {
                return null;
            }
        }

        @SuppressWarnings("unchecked")
        private S newInstance(String name, MethodHandle constructor) {
            try {
                return (S) constructor.invoke();
            } catch (NoClassDefFoundError e) {
                return null; // a class it needs is not on the class path: skipped, as by Micronaut's scan
            } catch (Throwable e) {
                throw new IllegalStateException("Failed to load a service: " + name, e);
            }
        }
    }
}
