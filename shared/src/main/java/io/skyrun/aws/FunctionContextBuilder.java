package io.skyrun.aws;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.DefaultApplicationContextBuilder;
import io.micronaut.core.io.scan.ClassPathResourceLoader;
import io.micronaut.function.aws.LambdaApplicationContextBuilder;

/**
 * How every skyrun Lambda function builds its application context: Micronaut's builder, with configuration
 * files read by a {@link JarEntryResourceLoader} (Micronaut's own loader mounts the whole jar as a zip file
 * system to read each one).
 */
public final class FunctionContextBuilder extends DefaultApplicationContextBuilder {
    private ClassPathResourceLoader resources;

    private FunctionContextBuilder() {
    }

    /** As Micronaut's Lambda handlers build theirs: environments function and lambda, every singleton eager. */
    public static ApplicationContextBuilder lambda() {
        FunctionContextBuilder builder = new FunctionContextBuilder();
        LambdaApplicationContextBuilder.setLambdaConfiguration(builder);
        return builder;
    }

    /** Micronaut's defaults, in the given environments. */
    public static ApplicationContextBuilder plain(String... environments) {
        return new FunctionContextBuilder().environments(environments);
    }

    @Override
    public ClassPathResourceLoader getResourceLoader() {
        if (resources == null) {
            ClassLoader classLoader = getClassLoader();
            resources = new JarEntryResourceLoader(classLoader != null ? classLoader : getClass().getClassLoader());
        }
        return resources;
    }
}
