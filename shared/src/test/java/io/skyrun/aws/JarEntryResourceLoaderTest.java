package io.skyrun.aws;

import io.micronaut.core.io.scan.DefaultClassPathResourceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading resources from a jar as jar entries answers as Micronaut's loader does, which mounts the jar. */
class JarEntryResourceLoaderTest {
    @TempDir
    Path dir;

    private static String read(Optional<InputStream> stream) throws IOException {
        if (stream.isEmpty()) {
            return null;
        }
        try (InputStream in = stream.get()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void filesDirectoriesAndMissingResourcesAnswerAsMicronautsLoaderAnswers() throws Exception {
        Path jar = dir.resolve("function.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : List.of("application.yml", "conf/", "conf/application-function.yml", "empty.yml")) {
                out.putNextEntry(new JarEntry(entry));
                if (!entry.endsWith("/") && !entry.startsWith("empty")) {
                    out.write(("from " + entry + "\n").getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        try (URLClassLoader classLoader = new URLClassLoader(new java.net.URL[]{jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            JarEntryResourceLoader entries = new JarEntryResourceLoader(classLoader);
            DefaultClassPathResourceLoader micronauts = new DefaultClassPathResourceLoader(classLoader);

            assertThat(read(entries.getResourceAsStream("application.yml"))).isEqualTo("from application.yml\n");
            assertThat(read(entries.getResourceAsStream("classpath:conf/application-function.yml")))
                    .isEqualTo("from conf/application-function.yml\n");
            assertThat(read(entries.getResourceAsStream("empty.yml"))).isEmpty();
            assertThat(entries.getResourceAsStream("conf")).isEmpty();
            assertThat(entries.getResourceAsStream("conf/")).isEmpty();
            assertThat(entries.getResourceAsStream("missing.yml")).isEmpty();
            assertThat(entries.getResourceAsStream("conf/../application.yml")).isEmpty();
            for (String path : List.of("application.yml", "classpath:conf/application-function.yml", "empty.yml", "conf",
                    "conf/", "missing.yml", "conf/../application.yml")) {
                assertThat(read(entries.getResourceAsStream(path))).as(path)
                        .isEqualTo(read(micronauts.getResourceAsStream(path)));
            }
        }
    }

    @Test
    void resourcesOutsideJarsAreMicronautsLoadersToRead() throws Exception {
        Files.writeString(dir.resolve("application.yml"), "from a directory\n");
        try (URLClassLoader classLoader = new URLClassLoader(new java.net.URL[]{dir.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            assertThat(read(new JarEntryResourceLoader(classLoader).getResourceAsStream("application.yml")))
                    .isEqualTo("from a directory\n");
        }
    }
}
