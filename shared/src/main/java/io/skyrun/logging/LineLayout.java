package io.skyrun.logging;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The log line of {@link LogConfigurator#PATTERN}, written directly:
 * {@code HH:mm:ss.SSS LEVEL [thread] short.logger.Name - message}, then the stack trace of an exception in
 * logback's own format. Logback's {@code PatternLayout} would parse the pattern at start, which costs a cold
 * start more than this class does in its lifetime.
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {
    /** The logger name's target length, as {@code %logger{24}}. */
    static final int LOGGER_LENGTH = 24;

    private final TargetLengthBasedClassNameAbbreviator abbreviator =
            new TargetLengthBasedClassNameAbbreviator(LOGGER_LENGTH);
    private final ZoneId zone;

    LineLayout(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        time(line, event.getTimeStamp());
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        line.append(" ".repeat(Math.max(0, 5 - level.length())));
        line.append(" [").append(event.getThreadName()).append("] ");
        line.append(abbreviator.abbreviate(event.getLoggerName()));
        line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown));
        }
        return line.toString();
    }

    private void time(StringBuilder line, long epochMillis) {
        LocalTime time = LocalTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
        twoDigits(line, time.getHour()).append(':');
        twoDigits(line, time.getMinute()).append(':');
        twoDigits(line, time.getSecond()).append('.');
        int millis = time.getNano() / 1_000_000;
        if (millis < 100) {
            line.append('0');
        }
        twoDigits(line, millis);
    }

    private static StringBuilder twoDigits(StringBuilder line, int value) {
        if (value < 10) {
            line.append('0');
        }
        return line.append(value);
    }
}
