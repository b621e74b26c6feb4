package io.skyrun.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import io.micronaut.logging.impl.LogbackUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LogConfiguratorTest {
    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, String> systemProperties = new HashMap<>();
    private final Set<String> resources = new HashSet<>();
    private final LoggerContext context = new LoggerContext();

    /** With the settings, system properties and class path resources of the fields. */
    private ExecutionStatus configure() {
        LogConfigurator configurator = new LogConfigurator(settings::get, systemProperties::get, resources::contains);
        configurator.setContext(context);
        return configurator.configure(context);
    }

    private Logger root() {
        return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void withoutAUserFileItSetsUpTheConsoleAndEndsTheSearch() {
        // WHEN configuring with nothing set
        ExecutionStatus status = configure();

        // THEN logback looks no further, the root logs INFO to the console, the chatty libraries only WARN
        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = root();
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(root.getAppender("STDOUT")).isInstanceOf(ConsoleAppender.class)
                .satisfies(appender -> assertThat(appender.isStarted()).isTrue());
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
        assertThat(((LayoutWrappingEncoder<ILoggingEvent>) console.getEncoder()).getLayout()).isInstanceOf(LineLayout.class);
        assertThat(context.getLogger("com.zaxxer.hikari.pool.HikariPool").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.flywaydb.core.Flyway").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.skyrun.worker.RunMessages").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void skyrunLogLevelSetsTheRootLevel() {
        // GIVEN SKYRUN_LOG_LEVEL in either case, with spaces
        settings.put("SKYRUN_LOG_LEVEL", " debug ");

        configure();

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("com.zaxxer.hikari").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void anUnknownLevelFallsBackToInfoWithAWarning() {
        settings.put("SKYRUN_LOG_LEVEL", "LOUD");

        configure();

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        List<Status> statuses = context.getStatusManager().getCopyOfStatusList();
        assertThat(statuses).anySatisfy(s -> {
            assertThat(s.getLevel()).isEqualTo(Status.WARN);
            assertThat(s.getMessage()).contains("SKYRUN_LOG_LEVEL=LOUD");
        });
    }

    @Test
    void aUserConfigurationFileOnTheClassPathIsReadByLogback() {
        // GIVEN a logback-test.xml on the class path: this module's test resources have one
        resources.add("logback-test.xml");

        ExecutionStatus status = configure();

        // THEN logback's XML configurator read it (its STDOUT has a pattern encoder, it quiets io.skyrun.requests),
        // and the search ends there
        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root().getAppender("STDOUT");
        assertThat(console.getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
        assertThat(context.getLogger("io.skyrun.requests").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aConfigurationFileNamedByTheSystemPropertyWinsAlsoWhenMicronautReconfigures(@TempDir Path dir)
            throws Exception {
        // GIVEN -Dlogback.configurationFile naming the user's file, with an appender of its own
        Path file = dir.resolve("user-logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="USER" class="ch.qos.logback.core.read.ListAppender"/>
                  <root level="DEBUG"><appender-ref ref="USER"/></root>
                </configuration>
                """);
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", file.toString());
        try {
            // WHEN logback configures at start, as its ContextInitializer calls the configurator
            LogConfigurator configurator = new LogConfigurator();
            configurator.setContext(context);
            assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            assertThat(root().getAppender("USER")).isNotNull();
            assertThat(root().getAppender("STDOUT")).isNull();
            assertThat(root().getLevel()).isEqualTo(Level.DEBUG);

            // AND Micronaut reconfigures (logger.levels.* set): it resets logback and calls the first service
            // configurator only, whatever it returns
            context.reset();
            LogbackUtils.configure(getClass().getClassLoader(), context, "logback.xml");

            // THEN the user's file is still what logback runs on
            assertThat(root().getAppender("USER")).isNotNull();
            assertThat(root().getAppender("STDOUT")).isNull();
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    @Test
    void micronautsReconfigurationGoesThroughThisConfigurator() {
        // GIVEN this module's test class path, where logback-test.xml is the configuration
        // WHEN Micronaut reconfigures logback, as for logger.levels.* settings
        LogbackUtils.configure(getClass().getClassLoader(), context, "logback.xml");

        // THEN logback runs on that file (before, a user file here ended with no appender at all)
        assertThat(root().getAppender("STDOUT")).isNotNull();
        assertThat(context.getLogger("io.skyrun.requests").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void theLineLayoutWritesWhatThePatternWould() {
        // GIVEN logback's PatternLayout with the documented pattern, and the layout that replaces it
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(LogConfigurator.PATTERN);
        pattern.start();
        LineLayout lines = new LineLayout(ZoneId.systemDefault());
        lines.setContext(context);
        lines.start();

        Exception cause = new IllegalStateException("table missing");
        Exception failure = new RuntimeException("claim failed", cause);
        failure.addSuppressed(new IllegalArgumentException("cleanup"));
        List<LoggingEvent> events = List.of(
                event("io.skyrun.worker.RunMessages", Level.INFO, "main", 1_795_465_895_715L, "Message {} for {}: {}",
                        null, "m-1", "run_1", "NOT_FOUND"),
                event("io.micronaut.context.DefaultApplicationContext$RuntimeConfiguredEnvironment", Level.WARN,
                        "skyrun-aws-http-client", 1_795_465_895_005L, "Established {}", null, "[function]"),
                event("Short", Level.ERROR, "pool-1-thread-3", 1_795_465_800_000L, "Run {} failed", failure, "run_2"),
                event("io.skyrun.a.b.c.d.e.VeryLongClassNameThatIsLongerThanTheTarget", Level.DEBUG, "t", 1_795_465_859_099L,
                        "no arguments", null),
                event("io.skyrun.runs.RunExecutor", Level.TRACE, "main", 1_795_466_400_050L, "{} percent", null, 100));

        // THEN every line is the same, stack traces included
        for (LoggingEvent event : events) {
            assertThat(lines.doLayout(event)).isEqualTo(pattern.doLayout(event));
        }
    }

    @Test
    void theLineLayoutKeepsTheLocalTimeOfItsZoneAcrossDaylightSavingChanges() {
        // GIVEN a zone with daylight saving time, in both layouts (the system zone here may be UTC)
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(LogConfigurator.PATTERN.replace("%d{HH:mm:ss.SSS}", "%d{HH:mm:ss.SSS,America/New_York}"));
        pattern.start();
        LineLayout lines = new LineLayout(ZoneId.of("America/New_York"));
        lines.setContext(context);
        lines.start();

        // WHEN logging around the spring and autumn changes of 2026 (8 March 07:00Z, 1 November 06:00Z)
        for (String instant : List.of("2026-03-08T06:59:59.999Z", "2026-03-08T07:00:00.001Z",
                "2026-11-01T05:30:00.020Z", "2026-11-01T06:30:00.020Z", "2026-07-01T03:04:05.600Z")) {
            LoggingEvent event = event("io.skyrun.runs.RunExecutor", Level.INFO, "main",
                    java.time.Instant.parse(instant).toEpochMilli(), "at {}", null, instant);

            // THEN the lines are the same
            assertThat(lines.doLayout(event)).as(instant).isEqualTo(pattern.doLayout(event));
        }
        assertThat(lines.doLayout(event("x", Level.INFO, "main", java.time.Instant.parse("2026-03-08T07:00:00.001Z")
                .toEpochMilli(), "m", null))).startsWith("03:00:00.001 INFO ");
    }

    private LoggingEvent event(String loggerName, Level level, String thread, long time, String message,
                               Throwable thrown, Object... arguments) {
        Logger logger = context.getLogger(loggerName);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, arguments);
        event.setThreadName(thread);
        event.setTimeStamp(time);
        return event;
    }
}
