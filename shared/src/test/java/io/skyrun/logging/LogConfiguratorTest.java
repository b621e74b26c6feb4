package io.skyrun.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LogConfiguratorTest {
    private final Map<String, String> settings = new HashMap<>();
    private final Set<String> resources = new java.util.HashSet<>();
    private final LoggerContext context = new LoggerContext();

    private ExecutionStatus configure() {
        LogConfigurator configurator = new LogConfigurator(settings::get, resources::contains);
        configurator.setContext(context);
        return configurator.configure(context);
    }

    @Test
    void withoutAUserFileItSetsUpTheConsoleAndEndsTheSearch() {
        // WHEN configuring with nothing set
        ExecutionStatus status = configure();

        // THEN logback looks no further, the root logs INFO to the console, the chatty libraries only WARN
        assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
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
    void aUserConfigurationFileWins() {
        for (String resource : List.of("logback.xml", "logback-test.xml")) {
            resources.clear();
            resources.add(resource);
            assertThat(configure()).as(resource).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        }
        resources.clear();
        settings.put("logback.configurationFile", "/etc/skyrun/logback.xml");
        assertThat(configure()).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);

        // and this configured nothing
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNull();
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

    private LoggingEvent event(String loggerName, Level level, String thread, long time, String message,
                               Throwable thrown, Object... arguments) {
        Logger logger = context.getLogger(loggerName);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, arguments);
        event.setThreadName(thread);
        event.setTimeStamp(time);
        return event;
    }
}
