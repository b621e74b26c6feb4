package io.skyrun.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

    @Nested
    class Parsing {

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   ", " \t\n "})
        void rejectsAnEmptyExpression(String expression) {
            // WHEN / THEN
            assertThatThrownBy(() -> CronExpression.parse(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cron expression is empty");
        }

        @ParameterizedTest
        @CsvSource({"'* * * *', 4", "'0 0 * * * *', 6", "'0 0 0 * * ? 2026', 7"})
        void rejectsAnExpressionWithoutExactlyFiveFields(String expression, int fieldCount) {
            // WHEN / THEN
            assertThatThrownBy(() -> CronExpression.parse(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cron expression must have 5 fields (minute hour day-of-month month day-of-week), got "
                            + fieldCount);
        }

        @Test
        void rejectsMacrosWithAHintToWriteTheFields() {
            // WHEN / THEN
            assertThatThrownBy(() -> CronExpression.parse("@daily"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'@daily' are not supported");
        }

        static Stream<Arguments> malformedFields() {
            return Stream.of(
                    Arguments.of("61 * * * *", "minute", "minute value 61 is out of range 0-59"),
                    Arguments.of("0 24 * * *", "hour", "hour value 24 is out of range 0-23"),
                    Arguments.of("0 0 0 * *", "day-of-month", "day-of-month value 0 is out of range 1-31"),
                    Arguments.of("0 0 32 * *", "day-of-month", "day-of-month value 32 is out of range 1-31"),
                    Arguments.of("0 0 * 13 *", "month", "month value 13 is out of range 1-12"),
                    Arguments.of("0 0 * * 8", "day-of-week", "day-of-week value 8 is out of range 0-7"),
                    Arguments.of("0 0 * * 1-9", "day-of-week", "day-of-week value 9 is out of range 0-7"),
                    Arguments.of("0 x * * *", "hour", "hour field 'x' is not a number"),
                    Arguments.of("MON * * * *", "minute", "minute field 'MON' is not a number"),
                    Arguments.of("0 0 * FOO *", "month", "month field 'FOO' is not a number or month name (JAN-DEC)"),
                    Arguments.of("0 0 * * FUN", "day-of-week", "day-of-week field 'FUN' is not a number or day name (SUN-SAT)"),
                    Arguments.of("*/0 * * * *", "minute", "minute step must be a positive number in '*/0'"),
                    Arguments.of("0 */x * * *", "hour", "hour step must be a positive number in '*/x'"),
                    Arguments.of("0 0 1-10/ * *", "day-of-month", "day-of-month step must be a positive number in '1-10/'"),
                    Arguments.of("0 5-2 * * *", "hour", "hour range '5-2' is reversed: the start must not be after the end"),
                    Arguments.of("0 0 * DEC-JAN *", "month", "month range 'DEC-JAN' is reversed: the start must not be after the end"),
                    Arguments.of("1,,2 * * * *", "minute", "minute field '1,,2' has an empty list entry"),
                    Arguments.of("-5 * * * *", "minute", "minute field '-5' is missing a number"),
                    Arguments.of("1-2-3 * * * *", "minute", "minute field '1-2-3' is not a valid range"),
                    Arguments.of("*-5 * * * *", "minute", "minute field '*-5' is invalid: '*' must stand alone or start a step like '*/5'"));
        }

        @ParameterizedTest(name = "{0} -> {2}")
        @MethodSource("malformedFields")
        void rejectsAMalformedFieldWithAMessageNamingTheFieldAndTheProblem(String expression, String field, String message) {
            // WHEN / THEN
            assertThatThrownBy(() -> CronExpression.parse(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message)
                    .hasMessageStartingWith(field + " ");
        }

        @ParameterizedTest(name = "{0} uses {2}")
        @CsvSource(delimiter = '|', value = {
                "0 0 L * *     | day-of-month | L",
                "0 0 15W * *   | day-of-month | W",
                "0 0 LW * *    | day-of-month | L",
                "0 0 ? * MON   | day-of-month | ?",
                "0 0 * * 5L    | day-of-week  | L",
                "0 0 * * MON#2 | day-of-week  | #"})
        void rejectsQuartzOnlyCharactersByName(String expression, String field, String character) {
            // WHEN / THEN
            assertThatThrownBy(() -> CronExpression.parse(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(field + " field")
                    .hasMessageContaining("uses '" + character + "', which is not supported");
        }

        @Test
        void acceptsAnyWhitespaceBetweenFieldsAndKeepsTheTrimmedText() {
            // GIVEN
            String text = "  0\t9   * *\n MON-FRI \n";

            // WHEN
            CronExpression cron = CronExpression.parse(text);

            // THEN
            assertThat(cron.expression()).isEqualTo("0\t9   * *\n MON-FRI");
            assertThat(cron).hasToString("0\t9   * *\n MON-FRI");
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-03-04T09:00"))).isTrue();
        }
    }

    @Nested
    class Matching {

        private static List<Integer> matchingMinutes(String minuteField) {
            CronExpression cron = CronExpression.parse(minuteField + " * * * *");
            LocalDateTime hour = LocalDateTime.parse("2026-03-04T10:00");
            return IntStream.range(0, 60).filter(m -> cron.matchesLocal(hour.plusMinutes(m))).boxed().toList();
        }

        @ParameterizedTest(name = "''{0}'' matches minutes {1}")
        @CsvSource(delimiter = '|', value = {
                "7          | 7",
                "0,15,45    | 0,15,45",
                "10-12      | 10,11,12",
                "*/20       | 0,20,40",
                "10-30/10   | 10,20,30",
                "50/5       | 50,55",
                "1,10-12,58/2 | 1,10,11,12,58"})
        void supportsNumbersListsRangesAndSteps(String minuteField, String expectedMinutes) {
            // GIVEN
            List<Integer> expected = Stream.of(expectedMinutes.split(",")).map(Integer::valueOf).toList();

            // WHEN
            List<Integer> minutes = matchingMinutes(minuteField);

            // THEN
            assertThat(minutes).containsExactlyElementsOf(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * sun", "0 0 * * 5-7", "0 0 * * FRI-7"})
        void treatsZeroSevenAndSunAsSunday(String expression) {
            // GIVEN
            CronExpression cron = CronExpression.parse(expression);

            // WHEN / THEN
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-03-01T00:00"))).as("Sunday").isTrue();
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-03-02T00:00"))).as("Monday").isFalse();
        }

        @Test
        void acceptsMonthAndDayNamesInAnyCaseAlsoInsideRanges() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 0 * jan-Mar,DEC mon-fri");

            // WHEN / THEN
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-01-05T00:00"))).as("Monday in January").isTrue();
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-12-04T00:00"))).as("Friday in December").isTrue();
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-01-03T00:00"))).as("Saturday in January").isFalse();
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-04-06T00:00"))).as("Monday in April").isFalse();
        }

        @Test
        void ignoresSecondsWhenMatchingAWallClockMinute() {
            // GIVEN
            CronExpression cron = CronExpression.parse("30 9 * * *");

            // WHEN / THEN
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-03-04T09:30:59.999"))).isTrue();
            assertThat(cron.matchesLocal(LocalDateTime.parse("2026-03-04T09:31:00"))).isFalse();
        }

        @ParameterizedTest(name = "''{0}'' wildcard time: {1}")
        @CsvSource({
                "'*/15 * * * *', true",
                "'0 * * * *', true",
                "'* 2 * * *', true",
                "'0 */2 * * *', true",
                "'30 2 * * *', false",
                "'0 0-23 * * *', false",
                "'0,30 1-3 * * *', false"})
        void callsAnExpressionWildcardWhenItsMinuteOrHourStartsWithAStar(String expression, boolean wildcard) {
            // WHEN / THEN
            assertThat(CronExpression.parse(expression).isWildcardTime()).isEqualTo(wildcard);
        }
    }

    @Nested
    class NextAfterInUtc {

        @Test
        void firesEveryFifteenMinutes() {
            // GIVEN
            CronExpression cron = CronExpression.parse("*/15 * * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, UTC, "2026-05-10T10:07:30Z", 4);

            // THEN
            assertThat(fires).containsExactly(
                    at("2026-05-10T10:15:00Z"), at("2026-05-10T10:30:00Z"),
                    at("2026-05-10T10:45:00Z"), at("2026-05-10T11:00:00Z"));
        }

        @Test
        void firesDailyAtNineTheNextDayOnceTodaysTimeHasPassed() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 9 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, UTC, "2026-05-10T12:00:00Z", 2);

            // THEN
            assertThat(fires).containsExactly(at("2026-05-11T09:00:00Z"), at("2026-05-12T09:00:00Z"));
        }

        @Test
        void returnsTheFollowingFireWhenAskedExactlyAtAFireTime() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 9 * * *");

            // WHEN
            Instant next = cron.nextAfter(at("2026-05-10T09:00:00Z"), UTC).orElseThrow();

            // THEN
            assertThat(next).isEqualTo(at("2026-05-11T09:00:00Z"));
        }

        @Test
        void firesAtTheMinuteWhenAskedWithinTheSecondBefore() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 9 * * *");

            // WHEN
            Instant next = cron.nextAfter(at("2026-05-10T08:59:59.999Z"), UTC).orElseThrow();

            // THEN
            assertThat(next).isEqualTo(at("2026-05-10T09:00:00Z"));
        }

        @Test
        void firesOnSundaysAtMidnight() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 0 * * 0");

            // WHEN
            List<Instant> fires = firstFirings(cron, UTC, "2026-03-04T12:00:00Z", 2);

            // THEN
            assertThat(fires).containsExactly(at("2026-03-08T00:00:00Z"), at("2026-03-15T00:00:00Z"));
        }

        @Test
        void firesEverySixHours() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 */6 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, UTC, "2026-05-10T07:00:00Z", 4);

            // THEN
            assertThat(fires).containsExactly(
                    at("2026-05-10T12:00:00Z"), at("2026-05-10T18:00:00Z"),
                    at("2026-05-11T00:00:00Z"), at("2026-05-11T06:00:00Z"));
        }

        @Test
        void skipsMonthsWithoutAThirtyFirst() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 0 31 * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, UTC, "2026-01-01T00:00:00Z", 5);

            // THEN
            assertThat(fires).containsExactly(
                    at("2026-01-31T00:00:00Z"), at("2026-03-31T00:00:00Z"), at("2026-05-31T00:00:00Z"),
                    at("2026-07-31T00:00:00Z"), at("2026-08-31T00:00:00Z"));
        }

        @Test
        void firesOnFebruaryTwentyNinthOnlyInLeapYears() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 0 29 2 *");

            // WHEN
            List<Instant> fires = firstFirings(cron, UTC, "2026-01-01T00:00:00Z", 2);

            // THEN
            assertThat(cron.neverFires()).isFalse();
            assertThat(fires).containsExactly(at("2028-02-29T00:00:00Z"), at("2032-02-29T00:00:00Z"));
        }

        @Test
        void findsFebruaryTwentyNinthAcrossTheSkippedLeapDayOf2100() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 0 29 2 *");

            // WHEN
            Instant next = cron.nextAfter(at("2097-01-01T00:00:00Z"), UTC).orElseThrow();

            // THEN
            assertThat(next).isEqualTo(at("2104-02-29T00:00:00Z"));
        }

        @Test
        void firesWhenEitherDayFieldMatchesIfBothAreRestricted() {
            // GIVEN the 1st of the month or any Monday
            CronExpression cron = CronExpression.parse("0 0 1 * MON");

            // WHEN
            List<Instant> fires = firstFirings(cron, UTC, "2026-02-27T00:00:00Z", 7);

            // THEN
            assertThat(fires).containsExactly(
                    at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:00Z"), at("2026-03-09T00:00:00Z"),
                    at("2026-03-16T00:00:00Z"), at("2026-03-23T00:00:00Z"), at("2026-03-30T00:00:00Z"),
                    at("2026-04-01T00:00:00Z"));
        }

        @Test
        void requiresBothDayFieldsWhenOneStartsWithAStar() {
            // GIVEN odd days of the month that are also Mondays
            CronExpression cron = CronExpression.parse("0 0 */2 * MON");

            // WHEN
            List<Instant> fires = firstFirings(cron, UTC, "2026-03-01T00:00:00Z", 3);

            // THEN
            assertThat(fires).containsExactly(
                    at("2026-03-09T00:00:00Z"), at("2026-03-23T00:00:00Z"), at("2026-04-13T00:00:00Z"));
        }
    }

    @Nested
    class ImpossibleDates {

        @ParameterizedTest
        @ValueSource(strings = {"0 0 30 2 *", "0 0 31 FEB *", "0 0 31 4,6,9,11 *", "0 0 30-31 2 *"})
        void neverFiresOnADayThatNoMonthHas(String expression) {
            // GIVEN
            CronExpression cron = CronExpression.parse(expression);

            // WHEN
            var next = cron.nextAfter(at("2026-01-01T00:00:00Z"), BERLIN);

            // THEN
            assertThat(next).isEmpty();
            assertThat(cron.neverFires()).isTrue();
        }

        @Test
        void firesOnTheWeekdayWhenTheDayOfMonthCannotExist() {
            // GIVEN February 30th or any Monday in February
            CronExpression cron = CronExpression.parse("0 0 30 2 MON");

            // WHEN
            Instant next = cron.nextAfter(at("2026-01-01T00:00:00Z"), UTC).orElseThrow();

            // THEN
            assertThat(cron.neverFires()).isFalse();
            assertThat(next).isEqualTo(at("2026-02-02T00:00:00Z"));
        }
    }

    /** Europe/Berlin on 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00Z. */
    @Nested
    class SpringForwardInBerlin {

        @Test
        void firesAMissingDailyTimeShiftedForwardByTheLengthOfTheGap() {
            // GIVEN 02:30, which does not exist on the day of the change
            CronExpression cron = CronExpression.parse("30 2 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, BERLIN, "2026-03-27T12:00:00Z", 3);

            // THEN 02:30 CET read as if the clock had not jumped, which is 03:30 CEST
            assertThat(fires).containsExactly(
                    at("2026-03-28T01:30:00Z"), at("2026-03-29T01:30:00Z"), at("2026-03-30T00:30:00Z"));
            assertThat(fires.get(1).atZone(BERLIN).toLocalTime()).hasToString("03:30");
            assertThat(fires.get(1)).isEqualTo(ZonedDateTime.of(LocalDateTime.parse("2026-03-29T02:30"), BERLIN).toInstant());
        }

        @Test
        void firesTheShiftedMissingTimeWhenAskedAfterTheTransitionButBeforeIt() {
            // GIVEN
            CronExpression cron = CronExpression.parse("30 2 * * *");

            // WHEN asked at 03:10 CEST, after the jump but before 03:30 CEST
            Instant next = cron.nextAfter(at("2026-03-29T01:10:00Z"), BERLIN).orElseThrow();

            // THEN
            assertThat(next).isEqualTo(at("2026-03-29T01:30:00Z"));
        }

        @Test
        void firesTheShiftedMissingTimeWhenAskedExactlyAtTheTransition() {
            // GIVEN
            CronExpression cron = CronExpression.parse("15 2 * * *");

            // WHEN
            Instant next = cron.nextAfter(at("2026-03-29T01:00:00Z"), BERLIN).orElseThrow();

            // THEN
            assertThat(next).isEqualTo(at("2026-03-29T01:15:00Z"));
        }

        @Test
        void keepsAQuarterHourlyJobOnAStrictFifteenMinuteBeatAcrossTheGap() {
            // GIVEN
            CronExpression cron = CronExpression.parse("*/15 * * * *");

            // WHEN
            List<Instant> fires = firings(cron, BERLIN, at("2026-03-29T00:30:00Z"), at("2026-03-29T02:30:00Z"));

            // THEN 01:45 CET, then 02:00-02:45 shifted onto 03:00-03:45 CEST, which fire anyway, once each
            assertThat(fires).startsWith(
                    at("2026-03-29T00:45:00Z"), at("2026-03-29T01:00:00Z"),
                    at("2026-03-29T01:15:00Z"), at("2026-03-29T01:30:00Z"));
            assertThat(fires).hasSize(8).isSorted().doesNotHaveDuplicates();
            assertThat(gaps(fires)).containsOnly(Duration.ofMinutes(15));
        }

        @Test
        void firesOnceWhenAShiftedMissingTimeLandsOnAnExistingFireTime() {
            // GIVEN 02:00 (missing, shifted to 03:00 CEST) and 03:00
            CronExpression cron = CronExpression.parse("0 2,3 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, BERLIN, "2026-03-29T00:00:00Z", 3);

            // THEN
            assertThat(fires).containsExactly(
                    at("2026-03-29T01:00:00Z"), at("2026-03-30T00:00:00Z"), at("2026-03-30T01:00:00Z"));
        }

        @Test
        void firesOnceWhenTwoMatchingTimesMapToTheSameInstant() {
            // GIVEN 02:30 (missing, shifted to 03:30 CEST) and 03:30
            CronExpression cron = CronExpression.parse("30 2,3 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, BERLIN, "2026-03-28T23:00:00Z", 3);

            // THEN
            assertThat(fires).containsExactly(
                    at("2026-03-29T01:30:00Z"), at("2026-03-30T00:30:00Z"), at("2026-03-30T01:30:00Z"));
        }

        @Test
        void keepsTheWallClockTimeOfADailyJobAcrossTheChange() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 9 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, BERLIN, "2026-03-27T12:00:00Z", 2);

            // THEN
            assertThat(fires).containsExactly(at("2026-03-28T08:00:00Z"), at("2026-03-29T07:00:00Z"));
        }
    }

    /** Europe/Berlin on 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00Z, so 02:00-02:59 happens twice. */
    @Nested
    class FallBackInBerlin {

        @Test
        void firesARepeatedDailyTimeOnlyAtItsFirstOccurrence() {
            // GIVEN
            CronExpression cron = CronExpression.parse("30 2 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, BERLIN, "2026-10-23T12:00:00Z", 3);

            // THEN
            assertThat(fires).containsExactly(
                    at("2026-10-24T00:30:00Z"), at("2026-10-25T00:30:00Z"), at("2026-10-26T01:30:00Z"));
        }

        @Test
        void skipsTheSecondOccurrenceEvenWhenAskedBetweenTheTwo() {
            // GIVEN
            CronExpression cron = CronExpression.parse("30 2 * * *");

            // WHEN asked at 02:45 CEST, after the first 02:30 and before the second
            Instant next = cron.nextAfter(at("2026-10-25T00:45:00Z"), BERLIN).orElseThrow();

            // THEN
            assertThat(next).isEqualTo(at("2026-10-26T01:30:00Z"));
        }

        @Test
        void firesAnHourlyJobAtBothOccurrencesOfTheRepeatedHour() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 * * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, BERLIN, "2026-10-24T23:30:00Z", 3);

            // THEN 02:00 CEST, 02:00 CET, 03:00 CET
            assertThat(fires).containsExactly(
                    at("2026-10-25T00:00:00Z"), at("2026-10-25T01:00:00Z"), at("2026-10-25T02:00:00Z"));
        }

        @Test
        void firesAHalfHourlyJobEveryRealHalfHourThroughTheNight() {
            // GIVEN
            CronExpression cron = CronExpression.parse("*/30 * * * *");

            // WHEN
            List<Instant> fires = firings(cron, BERLIN, at("2026-10-24T22:00:00Z"), at("2026-10-25T04:00:00Z"));

            // THEN
            assertThat(fires).hasSize(12);
            assertThat(gaps(fires)).containsOnly(Duration.ofMinutes(30));
        }
    }

    @Nested
    class NewYork {

        @Test
        void firesAMissingTimeShiftedForwardByTheSpringGap() {
            // GIVEN 02:30, which does not exist on 2026-03-08 (02:00 EST jumps to 03:00 EDT at 07:00Z)
            CronExpression cron = CronExpression.parse("30 2 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, NEW_YORK, "2026-03-07T00:00:00Z", 3);

            // THEN 02:30 EST, which is 03:30 EDT
            assertThat(fires).containsExactly(
                    at("2026-03-07T07:30:00Z"), at("2026-03-08T07:30:00Z"), at("2026-03-09T06:30:00Z"));
        }

        @Test
        void firesARepeatedDailyTimeOnceOnTheAutumnChange() {
            // GIVEN 01:30, which happens twice on 2026-11-01 (02:00 EDT falls back to 01:00 EST at 06:00Z)
            CronExpression cron = CronExpression.parse("30 1 * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, NEW_YORK, "2026-10-31T12:00:00Z", 2);

            // THEN
            assertThat(fires).containsExactly(at("2026-11-01T05:30:00Z"), at("2026-11-02T06:30:00Z"));
        }

        @Test
        void firesAnHourlyJobAtBothOccurrencesOnTheAutumnChange() {
            // GIVEN
            CronExpression cron = CronExpression.parse("30 * * * *");

            // WHEN
            List<Instant> fires = firstFirings(cron, NEW_YORK, "2026-11-01T04:00:00Z", 4);

            // THEN 00:30 EDT, 01:30 EDT, 01:30 EST, 02:30 EST
            assertThat(fires).containsExactly(
                    at("2026-11-01T04:30:00Z"), at("2026-11-01T05:30:00Z"),
                    at("2026-11-01T06:30:00Z"), at("2026-11-01T07:30:00Z"));
        }
    }

    /** Australia/Lord_Howe shifts by only 30 minutes: 2026-04-05 02:00 -> 01:30 and 2026-10-04 02:00 -> 02:30. */
    @Nested
    class HalfHourShiftOnLordHowe {

        @ParameterizedTest(name = "''{0}'' around {1}")
        @CsvSource({
                "'*/10 * * * *', 2026-04-04T12:00:00Z",
                "'*/10 * * * *', 2026-10-03T12:00:00Z",
                "'15,45 1-2 * * *', 2026-04-04T12:00:00Z",
                "'15,45 1-2 * * *', 2026-10-03T12:00:00Z",
                "'0 * * * *', 2026-04-04T12:00:00Z",
                "'0 * * * *', 2026-10-03T12:00:00Z"})
        void producesAStrictlyIncreasingSequenceWithoutDuplicates(String expression, String from) {
            // GIVEN
            CronExpression cron = CronExpression.parse(expression);

            // WHEN
            List<Instant> fires = firings(cron, LORD_HOWE, at(from), at(from).plus(Duration.ofHours(12)));

            // THEN
            assertThat(fires).isNotEmpty().isSorted().doesNotHaveDuplicates();
        }

        @ParameterizedTest(name = "''{0}'' around {1}")
        @CsvSource({
                "'*/10 * * * *', 2026-10-03T12:00:00Z",
                "'15,45 1-2 * * *', 2026-10-03T12:00:00Z",
                "'15,45 1-2 * * *', 2026-04-04T12:00:00Z"})
        void firesOnlyAtAMatchingWallClockTimeMinusOneOfTheZonesOffsets(String expression, String from) {
            // GIVEN
            CronExpression cron = CronExpression.parse(expression);
            List<ZoneOffset> offsets = List.of(ZoneOffset.ofHoursMinutes(10, 30), ZoneOffset.ofHours(11));

            // WHEN
            List<Instant> fires = firings(cron, LORD_HOWE, at(from), at(from).plus(Duration.ofHours(12)));

            // THEN
            assertThat(fires).isNotEmpty().allSatisfy(fire -> assertThat(offsets)
                    .anySatisfy(offset -> assertThat(cron.matchesLocal(LocalDateTime.ofInstant(fire, offset))).isTrue()));
        }

        @Test
        void firesARepeatedDailyTimeOnceOnTheAutumnChange() {
            // GIVEN 01:45, which happens twice on 2026-04-05
            CronExpression cron = CronExpression.parse("45 1 * * *");

            // WHEN
            List<Instant> fires = firings(cron, LORD_HOWE, at("2026-04-04T00:00:00Z"), at("2026-04-06T00:00:00Z"));

            // THEN 01:45 +11:00 on the 5th only, then 01:45 +10:30 on the 6th
            assertThat(fires).containsExactly(at("2026-04-04T14:45:00Z"), at("2026-04-05T15:15:00Z"));
            assertThat(fires).extracting(fire -> fire.atZone(LORD_HOWE).toLocalDate())
                    .containsExactly(LocalDate.parse("2026-04-05"), LocalDate.parse("2026-04-06"));
        }

        @Test
        void firesAMissingTimeShiftedForwardByTheHalfHourGap() {
            // GIVEN 02:15, which does not exist on 2026-10-04 (02:00 +10:30 jumps to 02:30 +11:00 at 15:30Z)
            CronExpression cron = CronExpression.parse("15 2 * * *");

            // WHEN
            Instant next = cron.nextAfter(at("2026-10-03T12:00:00Z"), LORD_HOWE).orElseThrow();

            // THEN 02:15 +10:30, which is 02:45 +11:00
            assertThat(next).isEqualTo(at("2026-10-03T15:45:00Z"));
            assertThat(next.atZone(LORD_HOWE).toLocalTime()).hasToString("02:45");
        }
    }

    @Nested
    class FiresAt {

        @Test
        void isTrueForAFireInstant() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 9 * * *");

            // WHEN / THEN
            assertThat(cron.firesAt(at("2026-07-01T07:00:00Z"), BERLIN)).isTrue();
        }

        @Test
        void isFalseForAWholeMinuteThatIsNoFireInstant() {
            // GIVEN
            CronExpression cron = CronExpression.parse("0 9 * * *");

            // WHEN / THEN
            assertThat(cron.firesAt(at("2026-07-01T08:00:00Z"), BERLIN)).isFalse();
            assertThat(cron.firesAt(at("2026-07-01T07:01:00Z"), BERLIN)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-07-01T07:00:00.001Z", "2026-07-01T07:00:01Z", "2026-07-01T06:59:59.999Z"})
        void isFalseOffAWholeMinute(String instant) {
            // GIVEN
            CronExpression cron = CronExpression.parse("* * * * *");

            // WHEN / THEN
            assertThat(cron.firesAt(at(instant), UTC)).isFalse();
        }

        @Test
        void isTrueForAShiftedMissingTimeAndFalseForTheTransitionInstant() {
            // GIVEN 02:30, missing in Berlin on 2026-03-29 and so fired at 03:30 CEST
            CronExpression cron = CronExpression.parse("30 2 * * *");

            // WHEN / THEN
            assertThat(cron.firesAt(at("2026-03-29T01:30:00Z"), BERLIN)).isTrue();
            assertThat(cron.firesAt(at("2026-03-29T01:00:00Z"), BERLIN)).isFalse();
        }

        @Test
        void isFalseForTheSecondOccurrenceOfARepeatedFixedTime() {
            // GIVEN 02:30, which happens twice in Berlin on 2026-10-25
            CronExpression cron = CronExpression.parse("30 2 * * *");

            // WHEN / THEN
            assertThat(cron.firesAt(at("2026-10-25T00:30:00Z"), BERLIN)).as("02:30 CEST").isTrue();
            assertThat(cron.firesAt(at("2026-10-25T01:30:00Z"), BERLIN)).as("02:30 CET").isFalse();
        }

        @Test
        void agreesWithNextAfterOnEveryMinuteAroundBothChanges() {
            // GIVEN
            CronExpression cron = CronExpression.parse("*/20 1-3 * * *");
            List<Instant> expected = new ArrayList<>();
            List<Instant> actual = new ArrayList<>();

            // WHEN
            for (String day : List.of("2026-03-28T22:00:00Z", "2026-10-24T22:00:00Z")) {
                Instant start = at(day);
                expected.addAll(firings(cron, BERLIN, start, start.plus(Duration.ofHours(8))));
                for (int minute = 1; minute <= 8 * 60; minute++) {
                    Instant t = start.plus(Duration.ofMinutes(minute));
                    if (cron.firesAt(t, BERLIN)) {
                        actual.add(t);
                    }
                }
            }

            // THEN
            assertThat(actual).isNotEmpty().isEqualTo(expected);
        }
    }

    @Nested
    class ParsedValues {

        @Test
        void exposesTheValuesOfEveryFieldInAscendingOrder() {
            // GIVEN
            CronExpression cron = CronExpression.parse("*/20 22,9-10 1,15 DEC,JAN 7,MON-WED");

            // WHEN / THEN
            assertThat(cron.minuteValues()).containsExactly(0, 20, 40);
            assertThat(cron.hourValues()).containsExactly(9, 10, 22);
            assertThat(cron.dayOfMonthValues()).containsExactly(1, 15);
            assertThat(cron.monthValues()).containsExactly(1, 12);
            assertThat(cron.dayOfWeekValues()).containsExactly(0, 1, 2, 3);
        }

        @ParameterizedTest(name = "''{0}'' day-of-month restricted: {1}, day-of-week restricted: {2}")
        @CsvSource({
                "'0 0 * * *', false, false",
                "'0 0 */2 * MON', false, true",
                "'0 0 1 * *', true, false",
                "'0 0 1 * MON', true, true"})
        void tellsWhichDayFieldsAreRestricted(String expression, boolean dayOfMonth, boolean dayOfWeek) {
            // GIVEN
            CronExpression cron = CronExpression.parse(expression);

            // WHEN / THEN
            assertThat(cron.isDayOfMonthRestricted()).isEqualTo(dayOfMonth);
            assertThat(cron.isDayOfWeekRestricted()).isEqualTo(dayOfWeek);
        }
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static List<Instant> firstFirings(CronExpression cron, ZoneId zone, String after, int count) {
        List<Instant> fires = new ArrayList<>();
        Instant cursor = at(after);
        for (int i = 0; i < count; i++) {
            cursor = cron.nextAfter(cursor, zone).orElseThrow();
            fires.add(cursor);
        }
        return fires;
    }

    private static List<Instant> firings(CronExpression cron, ZoneId zone, Instant after, Instant until) {
        List<Instant> fires = new ArrayList<>();
        Instant cursor = cron.nextAfter(after, zone).orElseThrow();
        while (!cursor.isAfter(until)) {
            fires.add(cursor);
            cursor = cron.nextAfter(cursor, zone).orElseThrow();
        }
        return fires;
    }

    private static List<Duration> gaps(List<Instant> fires) {
        return IntStream.range(1, fires.size()).mapToObj(i -> Duration.between(fires.get(i - 1), fires.get(i))).toList();
    }
}
