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

    /**
     * As Micronaut's Lambda handlers build theirs: environments function and lambda, every singleton and
     * configuration built at start, so that a SnapStart snapshot holds all that any request may need. For the
     * API functions, whose requests reach most of their beans.
     */
    public static ApplicationContextBuilder lambda() {
        FunctionContextBuilder builder = new FunctionContextBuilder();
        LambdaApplicationContextBuilder.setLambdaConfiguration(builder);
        return builder;
    }

    /**
     * The given environments, and beans built when first needed: those of the handler at start, the rest never.
     * For the functions that serve one kind of event (the run-worker, the schedule-trigger), which would
     * otherwise build, and snapshot, what only other functions use: the HTTP router with its routes, the
     * agent's tools in the trigger.
     */
    public static ApplicationContextBuilder onDemand(String... environments) {
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
