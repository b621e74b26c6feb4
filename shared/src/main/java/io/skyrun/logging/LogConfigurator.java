package io.skyrun.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.DefaultJoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.time.ZoneId;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * skyrun's logging set-up, done in code: one console appender writing {@link #PATTERN} ({@link LineLayout}), the
 * root level from {@code SKYRUN_LOG_LEVEL} (system property or environment variable, default INFO; an unknown
 * value gives INFO and a logback warning), and the chatty libraries at WARN. Logback finds it through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}, and so does Micronaut when it reconfigures
 * logback (its {@code logger.levels.*} settings, e.g. {@code LOGGER_LEVELS_IO_SKYRUN=DEBUG}).
 *
 * <p>It replaces a {@code logback.xml}: reading XML costs a Lambda cold start 50-100 ms (the JDK's XML parser
 * and logback's model, measured in the run-worker with AppCDS), more than anything else in its init.
 *
 * <p>A user's own configuration wins: with {@code -Dlogback.configurationFile=...}, or a {@code logback.xml} or
 * {@code logback-test.xml} on the class path, this hands over to logback's own XML configurator, and sets up
 * the console only if that finds no file (a configuration file property naming a missing file, which logback
 * reports). It always ends the search itself, as Micronaut's reconfiguration calls only the first configurator.
 * Micronaut's {@code logger.config} setting is not read; {@code -Dlogback.configurationFile} takes its place.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** The line format, in logback's pattern syntax ({@link LineLayout} writes it): time, level, thread,
     * shortened logger name, message. */
    public static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
    /** Where the root level comes from: a system property of this name, else the environment variable. */
    public static final String LEVEL_VARIABLE = "SKYRUN_LOG_LEVEL";
    /** Libraries that log routine events at INFO. */
    static final String[] QUIET_LOGGERS = {"com.zaxxer.hikari", "org.flywaydb"};

    private final Function<String, String> settings;
    private final Function<String, String> systemProperties;
    private final Predicate<String> onClassPath;

    /** As logback creates it: system properties and environment, this class's loader. */
    public LogConfigurator() {
        this(name -> System.getProperty(name, System.getenv(name)), System::getProperty,
                resource -> LogConfigurator.class.getClassLoader().getResource(resource) != null);
    }

    /**
     * @param settings         a skyrun setting by name (system property, else environment variable), null when unset
     * @param systemProperties a system property by name (where logback reads its configuration file's name)
     * @param onClassPath      whether a resource is on the class path
     */
    LogConfigurator(Function<String, String> settings, Function<String, String> systemProperties,
                    Predicate<String> onClassPath) {
        this.settings = settings;
        this.systemProperties = systemProperties;
        this.onClassPath = onClassPath;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (userConfigurationNamed() && userConfiguration(context) == ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY) {
            return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
        }
        LineLayout layout = new LineLayout(ZoneId.systemDefault());
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel());
        root.addAppender(console);
        for (String name : QUIET_LOGGERS) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether the user names or ships a configuration file (checked first: reading one is what this avoids). */
    private boolean userConfigurationNamed() {
        return systemProperties.apply(ContextInitializer.CONFIG_FILE_PROPERTY) != null
                || onClassPath.test(ContextInitializer.TEST_AUTOCONFIG_FILE)
                || onClassPath.test(ContextInitializer.AUTOCONFIG_FILE);
    }

    /** Logback's own search and reading of the user's file; whether it found one. */
    private ExecutionStatus userConfiguration(LoggerContext context) {
        DefaultJoranConfigurator joran = new DefaultJoranConfigurator();
        joran.setContext(context);
        return joran.configure(context);
    }

    private Level rootLevel() {
        String value = settings.apply(LEVEL_VARIABLE);
        if (value == null || value.isBlank()) {
            return Level.INFO;
        }
        Level level = Level.toLevel(value.trim(), null);
        if (level == null) {
            addWarn(LEVEL_VARIABLE + "=" + value + " is not a log level; using INFO");
            return Level.INFO;
        }
        return level;
    }
}
