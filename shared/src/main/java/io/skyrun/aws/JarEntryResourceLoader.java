package io.skyrun.aws;

import io.micronaut.core.io.scan.DefaultClassPathResourceLoader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.util.Optional;
import java.util.jar.JarEntry;

/**
 * Micronaut's class path resource loader, except that a resource in a jar is read as a jar entry, through the
 * jar file the JVM already has open, where Micronaut's mounts the jar as a zip file system to read it (which
 * reads the header of every entry: tens of milliseconds for a function jar, once per configuration file, at
 * every start from the jar). The same answers: the bytes of a file, nothing for a directory or a missing
 * resource. Resources outside jars (a deployment package extracted into a directory, as Lambda runs one), and
 * paths Micronaut refuses, are left to Micronaut's loader, which reads files directly.
 */
final class JarEntryResourceLoader extends DefaultClassPathResourceLoader {
    private final ClassLoader classLoader;

    JarEntryResourceLoader(ClassLoader classLoader) {
        super(classLoader);
        this.classLoader = classLoader;
    }

    @Override
    public Optional<InputStream> getResourceAsStream(String path) {
        String name = path.startsWith("classpath:") ? path.substring("classpath:".length()) : path;
        if (name.replace('\\', '/').contains("../")) {
            return super.getResourceAsStream(path);
        }
        URL url = classLoader.getResource(name);
        if (url == null || !"jar".equals(url.getProtocol())) {
            return super.getResourceAsStream(path);
        }
        try {
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return super.getResourceAsStream(path);
            }
            JarEntry entry = jar.getJarEntry();
            if (entry == null || entry.isDirectory()) {
                return Optional.empty();
            }
            try (InputStream in = jar.getInputStream()) {
                return Optional.of(new ByteArrayInputStream(in.readAllBytes()));
            }
        } catch (IOException e) {
            return super.getResourceAsStream(path);
        }
    }
}
