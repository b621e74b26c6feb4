package io.skyrun.schedule.eventbridge;

import io.skyrun.schedule.CronExpression;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Translates a cron expression in a time zone into EventBridge schedule expressions, which only know UTC.
 *
 * <p>The expressions together fire at least at every fire instant of the cron expression in the zone, and in a
 * zone that keeps offset 0 at exactly those instants. Elsewhere they fire at every UTC minute that is a matching
 * wall-clock minute minus one of the zone's offsets, on every day, so the trigger must keep only the instants
 * for which {@link CronExpression#firesAt} holds. That covers daylight-saving changes too, because
 * {@link CronExpression} resolves both gaps and overlaps with one of the zone's offsets.
 */
public final class AwsCron {

    /** EventBridge allows at most 256 characters; staying strictly below leaves no doubt about the bound. */
    static final int MAX_EXPRESSION_LENGTH = 255;

    /*
     * Rules are derived once at registration, so they must cover every offset the zone switches to while the
     * schedule lives; two years of announced tzdata transitions is what the registration promises to honour.
     */
    private static final int LOOKAHEAD_YEARS = 2;
    private static final int MINUTES_PER_DAY = 24 * 60;

    private AwsCron() {
    }

    /**
     * The EventBridge {@code cron(...)} expressions that together fire at least at every fire instant of
     * {@code cron} in {@code zone}, for the offsets the zone uses in the two years from {@code now}; in a
     * deterministic order, without duplicates, each under 256 characters, and empty when the expression never
     * fires.
     */
    public static List<String> expressions(CronExpression cron, ZoneId zone, Instant now) {
        return expressions(cron, zone, now, MAX_EXPRESSION_LENGTH);
    }

    static List<String> expressions(CronExpression cron, ZoneId zone, Instant now, int maxLength) {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(now, "now");
        if (cron.neverFires()) {
            return List.of();
        }
        Set<ZoneOffset> offsets = offsetsInUse(zone, now);
        Set<String> out = new LinkedHashSet<>();
        if (offsets.equals(Set.of(ZoneOffset.UTC))) {
            exact(cron, maxLength, out);
        } else {
            for (ZoneOffset offset : offsets) {
                shifted(cron, offset, maxLength, out);
            }
        }
        return List.copyOf(out);
    }

    /** The distinct offsets in force at {@code now} or switched to within the lookahead, ascending. */
    static Set<ZoneOffset> offsetsInUse(ZoneId zone, Instant now) {
        ZoneRules rules = zone.getRules();
        Set<ZoneOffset> offsets = new TreeSet<>(Comparator.comparingInt(ZoneOffset::getTotalSeconds));
        offsets.add(rules.getOffset(now));
        Instant until = now.atOffset(ZoneOffset.UTC).plusYears(LOOKAHEAD_YEARS).toInstant();
        for (ZoneOffsetTransition transition = rules.nextTransition(now);
                transition != null && transition.getInstant().isBefore(until);
                transition = rules.nextTransition(transition.getInstant())) {
            offsets.add(transition.getOffsetAfter());
        }
        return offsets;
    }

    private static void exact(CronExpression cron, int maxLength, Set<String> out) {
        Field minutes = Field.of(cron.minuteValues(), 0, 59, 0);
        Field hours = Field.of(cron.hourValues(), 0, 23, 0);
        Field months = Field.of(cron.monthValues(), 1, 12, 0);
        Field daysOfMonth = Field.of(cron.dayOfMonthValues(), 1, 31, 0);
        // AWS counts days of week 1-7 from Sunday where cron counts 0-6.
        Field daysOfWeek = Field.of(cron.dayOfWeekValues(), 1, 7, 1);
        Field any = Field.UNSPECIFIED;
        boolean either = cron.isDayOfMonthRestricted() && cron.isDayOfWeekRestricted();
        boolean everyDay = either
                ? daysOfMonth.isFull() || daysOfWeek.isFull()
                : daysOfMonth.isFull() && daysOfWeek.isFull();
        if (everyDay) {
            emit(List.of(minutes, hours, Field.full(1, 31), months, any), maxLength, out);
        } else if (either) {
            // AWS lets only one day field be set, so Vixie's "either day matches" needs one rule per field.
            emit(List.of(minutes, hours, daysOfMonth, months, any), maxLength, out);
            emit(List.of(minutes, hours, any, months, daysOfWeek), maxLength, out);
        } else if (daysOfWeek.isFull()) {
            emit(List.of(minutes, hours, daysOfMonth, months, any), maxLength, out);
        } else if (daysOfMonth.isFull() || daysOfWeek.share() < daysOfMonth.share()) {
            // Both days must match but AWS can test only one field: keeping the narrower one yields a superset
            // that the trigger filters.
            emit(List.of(minutes, hours, any, months, daysOfWeek), maxLength, out);
        } else {
            emit(List.of(minutes, hours, daysOfMonth, months, any), maxLength, out);
        }
    }

    private static void shifted(CronExpression cron, ZoneOffset offset, int maxLength, Set<String> out) {
        int shift = offset.getTotalSeconds() / 60;
        long[] minutesByHour = new long[24];
        for (int hour : cron.hourValues()) {
            for (int minute : cron.minuteValues()) {
                int utc = Math.floorMod(hour * 60 + minute - shift, MINUTES_PER_DAY);
                minutesByHour[utc / 60] |= 1L << (utc % 60);
            }
        }
        // Hours with the same minute set share one rule, so a typical schedule needs one rule per offset.
        Map<Long, Long> hoursByMinuteSet = new LinkedHashMap<>();
        for (int hour = 0; hour < 24; hour++) {
            if (minutesByHour[hour] != 0) {
                hoursByMinuteSet.merge(minutesByHour[hour], 1L << hour, (a, b) -> a | b);
            }
        }
        Field everyDay = Field.full(1, 31);
        Field everyMonth = Field.full(1, 12);
        hoursByMinuteSet.forEach((minuteBits, hourBits) -> emit(
                List.of(new Field(minuteBits, 0, 59, false), new Field(hourBits, 0, 23, false),
                        everyDay, everyMonth, Field.UNSPECIFIED),
                maxLength, out));
    }

    /** Adds the expression, split along its longest list until every part fits into {@code maxLength}. */
    private static void emit(List<Field> fields, int maxLength, Set<String> out) {
        StringBuilder text = new StringBuilder("cron(");
        int longest = -1;
        int longestLength = 0;
        for (int i = 0; i < fields.size(); i++) {
            String rendered = fields.get(i).render();
            text.append(rendered).append(' ');
            if (fields.get(i).canSplit() && rendered.length() > longestLength) {
                longest = i;
                longestLength = rendered.length();
            }
        }
        String expression = text.append("*)").toString();
        if (expression.length() <= maxLength) {
            out.add(expression);
            return;
        }
        if (longest < 0) {
            throw new IllegalStateException("cannot shorten EventBridge expression " + expression);
        }
        // Every field is a set of allowed values, so splitting one field's set splits the firings exactly.
        Field[] halves = fields.get(longest).halves();
        for (Field half : halves) {
            List<Field> part = new ArrayList<>(fields);
            part.set(longest, half);
            emit(part, maxLength, out);
        }
    }

    /** One field of an AWS expression: a set of values, or {@code ?} when the other day field decides. */
    private record Field(long bits, int min, int max, boolean unspecified) {

        static final Field UNSPECIFIED = new Field(0, 0, 0, true);

        static Field of(List<Integer> values, int min, int max, int shift) {
            long bits = 0;
            for (int value : values) {
                bits |= 1L << (value + shift);
            }
            return new Field(bits, min, max, false);
        }

        static Field full(int min, int max) {
            return new Field(mask(min, max), min, max, false);
        }

        private static long mask(int min, int max) {
            return (-1L >>> (63 - max)) & (-1L << min);
        }

        boolean isFull() {
            return bits == mask(min, max);
        }

        double share() {
            return (double) Long.bitCount(bits) / (max - min + 1);
        }

        boolean canSplit() {
            return !unspecified && Long.bitCount(bits) > 1;
        }

        Field[] halves() {
            int keep = Long.bitCount(bits) / 2;
            long low = 0;
            long rest = bits;
            for (int i = 0; i < keep; i++) {
                long lowest = Long.lowestOneBit(rest);
                low |= lowest;
                rest &= ~lowest;
            }
            return new Field[] {new Field(low, min, max, false), new Field(rest, min, max, false)};
        }

        String render() {
            if (unspecified) {
                return "?";
            }
            if (isFull()) {
                return "*";
            }
            StringBuilder text = new StringBuilder();
            int value = min;
            while (value <= max) {
                if ((bits & (1L << value)) == 0) {
                    value++;
                    continue;
                }
                int end = value;
                while (end + 1 <= max && (bits & (1L << (end + 1))) != 0) {
                    end++;
                }
                if (!text.isEmpty()) {
                    text.append(',');
                }
                if (end - value >= 2) {
                    text.append(value).append('-').append(end);
                } else {
                    text.append(value);
                    if (end > value) {
                        text.append(',').append(end);
                    }
                }
                value = end + 1;
            }
            return text.toString();
        }
    }
}
