package io.skyrun.schedule.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.skyrun.schedule.CronExpression;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AwsCronTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static List<String> expressions(String cron, String zone) {
        return AwsCron.expressions(CronExpression.parse(cron), ZoneId.of(zone), NOW);
    }

    @Nested
    class InAZoneThatKeepsOffsetZero {

        @Test
        void translatesEveryFifteenMinutesExactly() {
            // WHEN
            List<String> expressions = expressions("*/15 * * * *", "UTC");

            // THEN
            assertThat(expressions).containsExactly("cron(0,15,30,45 * * * ? *)");
        }

        @Test
        void translatesWeekdaysToAwsDayNumbersCountingFromSunday() {
            // WHEN
            List<String> expressions = expressions("0 9 * * 1-5", "UTC");

            // THEN
            assertThat(expressions).containsExactly("cron(0 9 ? * 2-6 *)");
        }

        @Test
        void translatesDaysOfMonthWithAnUnspecifiedDayOfWeek() {
            // WHEN
            List<String> expressions = expressions("0 0 1,15 * *", "UTC");

            // THEN
            assertThat(expressions).containsExactly("cron(0 0 1,15 * ? *)");
        }

        @Test
        void splitsEitherDayMatchingIntoOneExpressionPerDayField() {
            // WHEN
            List<String> expressions = expressions("0 0 1 * MON", "UTC");

            // THEN
            assertThat(expressions).containsExactly("cron(0 0 1 * ? *)", "cron(0 0 ? * 2 *)");
        }

        @Test
        void rendersListsRangesMonthsAndSundayFromTheParsedValues() {
            // WHEN
            List<String> expressions = expressions("5,6,10-20/5,30-33 8-10,12 * JAN-MAR,DEC SUN,7,SAT", "UTC");

            // THEN
            assertThat(expressions).containsExactly("cron(5,6,10,15,20,30-33 8-10,12 ? 1-3,12 1,7 *)");
        }

        @Test
        void keepsADayOfMonthStepThatVixieCallsUnrestricted() {
            // WHEN
            List<String> expressions = expressions("0 0 */10 * *", "UTC");

            // THEN
            assertThat(expressions).containsExactly("cron(0 0 1,11,21,31 * ? *)");
        }

        @Test
        void keepsTheNarrowerDayFieldWhenBothMustMatch() {
            // GIVEN odd days that are also Mondays, which AWS cannot say in one expression
            CronExpression cron = CronExpression.parse("0 0 */2 * MON");

            // WHEN
            List<String> expressions = AwsCron.expressions(cron, UTC, NOW);

            // THEN a superset: every Monday
            assertThat(expressions).containsExactly("cron(0 0 ? * 2 *)");
        }

        @Test
        void firesEveryDayWhenEitherDayFieldAllowsEveryDay() {
            // WHEN
            List<String> expressions = expressions("0 0 1 * 0-6", "UTC");

            // THEN
            assertThat(expressions).containsExactly("cron(0 0 * * ? *)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "Africa/Abidjan"})
        void treatsEveryZoneWithOffsetZeroAsUtc(String zone) {
            // WHEN
            List<String> expressions = expressions("0 9 * * 1-5", zone);

            // THEN
            assertThat(expressions).containsExactly("cron(0 9 ? * 2-6 *)");
        }
    }

    @Nested
    class InAZoneWithOtherOffsets {

        @Test
        void firesADailyBerlinTimeAtBothItsUtcHours() {
            // WHEN
            List<String> expressions = expressions("0 9 * * *", "Europe/Berlin");

            // THEN 09:00 CET and 09:00 CEST
            assertThat(expressions).containsExactly("cron(0 8 * * ? *)", "cron(0 7 * * ? *)");
        }

        @Test
        void shiftsByAHalfHourOffsetWithoutDaylightSaving() {
            // WHEN
            List<String> expressions = expressions("30 9 * * *", "Asia/Kolkata");

            // THEN
            assertThat(expressions).containsExactly("cron(0 4 * * ? *)");
        }

        @Test
        void shiftsByLordHowesHalfHourDaylightSaving() {
            // WHEN
            List<String> expressions = expressions("0 9 * * *", "Australia/Lord_Howe");

            // THEN 09:00 at +10:30 and at +11:00, on the previous UTC day
            assertThat(expressions).containsExactly("cron(30 22 * * ? *)", "cron(0 22 * * ? *)");
        }

        @Test
        void groupsHoursThatShareTheirShiftedMinutes() {
            // WHEN
            List<String> expressions = expressions("15,45 1-2,9 * * *", "Asia/Kathmandu");

            // THEN 01:15 +05:45 is 19:30 the day before, 01:45 is 20:00, 02:15 is 20:30, 02:45 is 21:00
            assertThat(expressions).containsExactly(
                    "cron(30 3,19 * * ? *)", "cron(0 4,21 * * ? *)", "cron(0,30 20 * * ? *)");
        }

        @Test
        void mergesIdenticalExpressionsOfDifferentOffsets() {
            // WHEN
            List<String> expressions = expressions("*/15 * * * *", "America/St_Johns");

            // THEN
            assertThat(expressions).containsExactly("cron(0,15,30,45 * * * ? *)");
        }

        @Test
        void firesEveryMinuteOnceForAFullWildcard() {
            // WHEN
            List<String> expressions = expressions("* * * * *", "Europe/Berlin");

            // THEN
            assertThat(expressions).containsExactly("cron(* * * * ? *)");
        }

        @Test
        void ignoresTheDayFieldsAndLeavesThemToTheTrigger() {
            // WHEN
            List<String> expressions = expressions("0 0 1 1 *", "America/New_York");

            // THEN midnight EST and EDT, every day
            assertThat(expressions).containsExactly("cron(0 5 * * ? *)", "cron(0 4 * * ? *)");
        }

        @Test
        void usesOnlyTheOffsetsOfTheNextTwoYears() {
            // GIVEN Europe/Moscow last changed its offset in 2014
            CronExpression cron = CronExpression.parse("0 9 * * *");

            // WHEN
            List<String> expressions = AwsCron.expressions(cron, ZoneId.of("Europe/Moscow"), NOW);

            // THEN
            assertThat(expressions).containsExactly("cron(0 6 * * ? *)");
        }
    }

    @Nested
    class Shape {

        @Test
        void givesNothingForAnExpressionThatNeverFires() {
            // WHEN
            List<String> expressions = expressions("0 0 30 2 *", "Europe/Berlin");

            // THEN
            assertThat(expressions).isEmpty();
        }

        @ParameterizedTest
        @CsvSource({"'*/5 * * * *', UTC", "'*/5 * * * *', Europe/Berlin", "'0,20,40 */4 1-31/2 * *', UTC"})
        void splitsAnExpressionThatIsTooLongWithoutLosingOrAddingFirings(String expression, String zone) {
            // GIVEN
            CronExpression cron = CronExpression.parse(expression);
            List<String> whole = AwsCron.expressions(cron, ZoneId.of(zone), NOW);

            // WHEN
            List<String> parts = AwsCron.expressions(cron, ZoneId.of(zone), NOW, 30);

            // THEN
            assertThat(parts).hasSizeGreaterThan(whole.size()).doesNotHaveDuplicates()
                    .allSatisfy(part -> assertThat(part).hasSizeLessThanOrEqualTo(30));
            assertThat(firingMinutes(parts)).isEqualTo(firingMinutes(whole));
        }

        @Test
        void staysUnder256CharactersForTheLongestListsCronAllows() {
            // GIVEN every other value in every field
            CronExpression cron = CronExpression.parse("*/2 */2 */2 */2 */2");

            // WHEN
            List<String> expressions = AwsCron.expressions(cron, UTC, NOW);

            // THEN
            assertThat(expressions).isNotEmpty().allSatisfy(e -> assertThat(e).hasSizeLessThan(256));
        }

        @Test
        void givesTheSameListForTheSameInput() {
            // GIVEN
            CronExpression cron = CronExpression.parse("10,40 */3 * * *");
            ZoneId zone = ZoneId.of("America/St_Johns");

            // WHEN
            List<String> first = AwsCron.expressions(cron, zone, NOW);
            List<String> second = AwsCron.expressions(cron, zone, NOW);

            // THEN
            assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
        }

        /** Minutes of January and February 2026 matched by any of the expressions, counted from the start. */
        private static BitSet firingMinutes(List<String> expressions) {
            List<Predicate<ZonedDateTime>> matchers = expressions.stream().map(AwsExpression::parse).toList();
            BitSet minutes = new BitSet();
            ZonedDateTime start = ZonedDateTime.parse("2026-01-01T00:00Z");
            for (int minute = 0; minute < 59 * 24 * 60; minute++) {
                ZonedDateTime t = start.plusMinutes(minute);
                if (matchers.stream().anyMatch(m -> m.test(t))) {
                    minutes.set(minute);
                }
            }
            return minutes;
        }
    }

    @Nested
    class CoversEveryFiring {

        private static final List<String> ZONES = List.of(
                "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns", "UTC",
                "Europe/London");
        private static final List<String> CRONS = List.of(
                "0 9 * * *", "30 2 * * *", "*/15 * * * *", "0 9 * * 1-5", "0 0 1,15 * *",
                "0 0 1 * MON", "15,45 1-2 * * *", "5 */6 * * *", "59 23 31 12 *", "0 0 */2 * MON");

        static Stream<Arguments> zonesAndCrons() {
            return ZONES.stream().flatMap(zone -> CRONS.stream().map(cron -> Arguments.of(cron, zone)));
        }

        @ParameterizedTest(name = "''{0}'' in {1}")
        @MethodSource("zonesAndCrons")
        void everyFireInstantOf2026And2027IsMatchedByAnExpression(String expression, String zone) {
            // GIVEN
            CronExpression cron = CronExpression.parse(expression);
            ZoneId zoneId = ZoneId.of(zone);
            List<Predicate<ZonedDateTime>> matchers =
                    AwsCron.expressions(cron, zoneId, NOW).stream().map(AwsExpression::parse).toList();
            Instant end = Instant.parse("2028-01-01T00:00:00Z");

            // WHEN
            List<Instant> missed = new ArrayList<>();
            int fires = 0;
            for (Instant t = cron.nextAfter(NOW.minusSeconds(1), zoneId).orElseThrow(); t.isBefore(end);
                    t = cron.nextAfter(t, zoneId).orElseThrow()) {
                fires++;
                ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
                if (matchers.stream().noneMatch(m -> m.test(utc))) {
                    missed.add(t);
                }
            }

            // THEN
            assertThat(fires).isPositive();
            assertThat(missed).isEmpty();
        }
    }

    /** Evaluates the EventBridge cron expressions AwsCron produces, checking the AWS rules along the way. */
    private static final class AwsExpression {

        static Predicate<ZonedDateTime> parse(String expression) {
            assertThat(expression).startsWith("cron(").endsWith(")").hasSizeLessThan(256);
            String[] fields = expression.substring(5, expression.length() - 1).split(" ");
            assertThat(fields).hasSize(6);
            assertThat(fields[5]).isEqualTo("*");
            assertThat(fields[2].equals("?") ^ fields[4].equals("?"))
                    .as("exactly one day field of %s is ?", expression).isTrue();
            BitSet minutes = values(fields[0], 0, 59);
            BitSet hours = values(fields[1], 0, 23);
            BitSet months = values(fields[3], 1, 12);
            boolean byDayOfMonth = !fields[2].equals("?");
            BitSet days = byDayOfMonth ? values(fields[2], 1, 31) : values(fields[4], 1, 7);
            return t -> t.getOffset().equals(ZoneOffset.UTC)
                    && minutes.get(t.getMinute())
                    && hours.get(t.getHour())
                    && months.get(t.getMonthValue())
                    && days.get(byDayOfMonth ? t.getDayOfMonth() : t.getDayOfWeek().getValue() % 7 + 1);
        }

        private static BitSet values(String field, int min, int max) {
            BitSet values = new BitSet();
            if (field.equals("*")) {
                values.set(min, max + 1);
                return values;
            }
            for (String part : field.split(",")) {
                String[] range = part.split("-");
                int low = Integer.parseInt(range[0]);
                int high = range.length == 2 ? Integer.parseInt(range[1]) : low;
                assertThat(low).isBetween(min, max);
                assertThat(high).isBetween(low, max);
                IntStream.rangeClosed(low, high).forEach(values::set);
            }
            return values;
        }
    }
}
