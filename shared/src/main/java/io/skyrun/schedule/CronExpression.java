package io.skyrun.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A 5-field cron expression evaluated in a time zone, correct across daylight-saving changes.
 *
 * <p>Fields are {@code minute hour day-of-month month day-of-week}, separated by whitespace. Each field
 * is {@code *}, a number, a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n} or {@code a/n}
 * (meaning {@code a}-max{@code /n}), or a comma-separated list of those. Months accept {@code JAN-DEC}
 * and days of week {@code SUN-SAT}, case-insensitive; day-of-week 0 and 7 both mean Sunday. As in Vixie
 * cron, when both day fields are restricted (neither starts with {@code *}) a day matches if either
 * matches; otherwise both must match. Macros such as {@code @daily} and the Quartz characters
 * {@code ? L W #} are rejected.
 *
 * <p>The schedule fires at wall-clock times in the zone. Around daylight-saving changes:
 * <ul>
 *   <li>Spring forward: a matching wall-clock time that does not exist fires at that time shifted forward
 *       by the length of the gap, as {@link java.time.ZonedDateTime#of} resolves it: 02:30 on a day when
 *       02:00 jumps to 03:00 fires at 03:30. Every fire instant is therefore a wall-clock time minus one of
 *       the zone's offsets, which lets a scheduler that only knows UTC cover it. A shifted time that lands
 *       on another fire instant collapses into that one firing.</li>
 *   <li>Fall back: when a wall-clock time occurs twice, a fixed-time expression (see
 *       {@link #isWildcardTime()}) fires only at the first occurrence, so a daily job still runs once a
 *       day; a wildcard expression fires at both occurrences, so an hourly job still runs every real
 *       hour.</li>
 * </ul>
 * Repeated calls of {@link #nextAfter} therefore give a strictly increasing sequence of instants with no
 * duplicates and no skipped fires. Instances are immutable and thread-safe.
 */
public final class CronExpression {

    private static final String FIELD_LIST = "minute hour day-of-month month day-of-week";
    private static final String[] MONTH_NAMES =
            {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAY_NAMES = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private static final FieldSpec MINUTE = new FieldSpec("minute", 0, 59, null, 0, "");
    private static final FieldSpec HOUR = new FieldSpec("hour", 0, 23, null, 0, "");
    private static final FieldSpec DAY_OF_MONTH = new FieldSpec("day-of-month", 1, 31, null, 0, "");
    private static final FieldSpec MONTH = new FieldSpec("month", 1, 12, MONTH_NAMES, 1, " or month name (JAN-DEC)");
    private static final FieldSpec DAY_OF_WEEK = new FieldSpec("day-of-week", 0, 7, DAY_NAMES, 0, " or day name (SUN-SAT)");

    /*
     * A month/day pair that exists at all recurs on every weekday within 40 years (Feb 29 on a given
     * weekday is the worst case, across a skipped century leap day), so this horizon never reports
     * "no next fire" for an expression that can fire, while neverFires() short-cuts the ones that cannot.
     */
    private static final int HORIZON_YEARS = 41;

    private final String expression;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;
    private final boolean eitherDayMatches;
    private final boolean wildcardTime;
    private final boolean neverFires;

    private CronExpression(String expression, String[] fields) {
        this.expression = expression;
        this.minutes = parseField(fields[0], MINUTE);
        this.hours = parseField(fields[1], HOUR);
        this.daysOfMonth = parseField(fields[2], DAY_OF_MONTH);
        this.months = parseField(fields[3], MONTH);
        long dow = parseField(fields[4], DAY_OF_WEEK);
        // 7 is an alias for Sunday; folding it into 0 lets matching use DayOfWeek % 7 directly.
        this.daysOfWeek = (dow & ~(1L << 7)) | ((dow >>> 7) & 1L);
        // Vixie cron decides on the first character, so even "*/2" counts as unrestricted here.
        this.dayOfMonthRestricted = !fields[2].startsWith("*");
        this.dayOfWeekRestricted = !fields[4].startsWith("*");
        this.eitherDayMatches = dayOfMonthRestricted && dayOfWeekRestricted;
        this.wildcardTime = fields[0].startsWith("*") || fields[1].startsWith("*");
        this.neverFires = !anyDayCanExist();
    }

    /**
     * Parses a 5-field cron expression.
     *
     * @throws IllegalArgumentException with a message naming the offending field when the expression is invalid
     */
    public static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression is empty");
        }
        String trimmed = expression.strip();
        if (trimmed.startsWith("@")) {
            throw new IllegalArgumentException(
                    "cron macros like '" + trimmed.split("\\s+")[0] + "' are not supported; write the 5 fields ("
                            + FIELD_LIST + ")");
        }
        String[] fields = trimmed.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException(
                    "cron expression must have 5 fields (" + FIELD_LIST + "), got " + fields.length);
        }
        return new CronExpression(trimmed, fields);
    }

    /** The expression as given, without surrounding whitespace. */
    public String expression() {
        return expression;
    }

    /**
     * True when the minute or hour field starts with {@code *}: what Vixie cron calls a wildcard job. Such
     * expressions fire at both occurrences of a repeated wall-clock time; fixed-time ones only at the first.
     */
    public boolean isWildcardTime() {
        return wildcardTime;
    }

    /** True when no date ever matches, such as {@code 0 0 30 2 *}; {@link #nextAfter} is then always empty. */
    public boolean neverFires() {
        return neverFires;
    }

    /** The minutes (0-59) the minute field allows, ascending. */
    public List<Integer> minuteValues() {
        return values(minutes);
    }

    /** The hours (0-23) the hour field allows, ascending. */
    public List<Integer> hourValues() {
        return values(hours);
    }

    /** The days (1-31) the day-of-month field allows, ascending. */
    public List<Integer> dayOfMonthValues() {
        return values(daysOfMonth);
    }

    /** The months (1-12) the month field allows, ascending. */
    public List<Integer> monthValues() {
        return values(months);
    }

    /** The days of week (0-6, Sunday is 0 and 7 is folded into it) the day-of-week field allows, ascending. */
    public List<Integer> dayOfWeekValues() {
        return values(daysOfWeek);
    }

    /**
     * True when the day-of-month field does not start with {@code *}; when both day fields are restricted a day
     * matches if either matches, otherwise both must match.
     */
    public boolean isDayOfMonthRestricted() {
        return dayOfMonthRestricted;
    }

    /** True when the day-of-week field does not start with {@code *}; see {@link #isDayOfMonthRestricted()}. */
    public boolean isDayOfWeekRestricted() {
        return dayOfWeekRestricted;
    }

    /** True when the wall-clock minute of {@code time} matches every field; seconds are ignored. */
    public boolean matchesLocal(LocalDateTime time) {
        Objects.requireNonNull(time, "time");
        return has(minutes, time.getMinute())
                && has(hours, time.getHour())
                && has(months, time.getMonthValue())
                && dayMatches(time.toLocalDate());
    }

    /**
     * The first fire instant strictly after {@code after}, with wall-clock times read in {@code zone}; empty
     * exactly when {@link #neverFires()} is true.
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(zone, "zone");
        if (neverFires) {
            return Optional.empty();
        }
        ZoneRules rules = zone.getRules();
        // A gap's shifted firings land up to one gap length after its transition, so a gap that ended just
        // before the search start can still owe a firing; plusNanos makes a transition at exactly 'after' count.
        Instant best = firstGapFiringAfter(rules.previousTransition(after.plusNanos(1)), after);
        // Between two offset transitions wall-clock time is a plain shift of the instant, so each such
        // segment is searched in local time and only the transitions themselves need special handling.
        Instant segmentStart = after;
        LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDateTime horizon = from.toLocalDate().plusYears(HORIZON_YEARS).atStartOfDay();
        while (true) {
            ZoneOffset offset = rules.getOffset(segmentStart);
            ZoneOffsetTransition transition = rules.nextTransition(segmentStart);
            boolean lastSegment = transition == null || transition.getDateTimeBefore().isAfter(horizon);
            LocalDateTime segmentEnd = lastSegment ? horizon : transition.getDateTimeBefore();
            LocalDateTime fire = firstFiringInSegment(from, segmentEnd, offset, rules);
            if (fire != null) {
                best = earlier(best, fire.toInstant(offset));
            }
            // Everything from the next segment or its gap fires at or after the transition.
            if (best != null && (lastSegment || !best.isAfter(transition.getInstant()))) {
                return Optional.of(best);
            }
            if (lastSegment) {
                return Optional.empty();
            }
            if (transition.isGap()) {
                best = earlier(best, firstGapFiringAfter(transition, after));
            }
            segmentStart = transition.getInstant();
            from = ceilToMinute(transition.getDateTimeAfter());
        }
    }

    /**
     * True when {@code t} is one of the fire instants in {@code zone}; fire instants are whole minutes, so any
     * other {@code t} is false.
     */
    public boolean firesAt(Instant t, ZoneId zone) {
        Objects.requireNonNull(t, "t");
        Objects.requireNonNull(zone, "zone");
        if (t.getNano() != 0 || Math.floorMod(t.getEpochSecond(), 60L) != 0) {
            return false;
        }
        return nextAfter(t.minusSeconds(60), zone).filter(t::equals).isPresent();
    }

    @Override
    public String toString() {
        return expression;
    }

    private LocalDateTime firstFiringInSegment(LocalDateTime from, LocalDateTime end, ZoneOffset offset, ZoneRules rules) {
        LocalDateTime candidate = nextMatch(from, end);
        while (candidate != null && !wildcardTime && isSecondOccurrence(candidate, offset, rules)) {
            // The first occurrence already fired (or lies before the search start and so did fire), so
            // skip the rest of the repeated hour at once instead of minute by minute.
            candidate = nextMatch(ceilToMinute(rules.getTransition(candidate).getDateTimeBefore()), end);
        }
        return candidate;
    }

    /**
     * The earliest firing of a missing wall-clock time in the gap of {@code transition} that lies strictly after
     * {@code after}, or null; such a time fires at its local time read with the offset before the gap.
     */
    private Instant firstGapFiringAfter(ZoneOffsetTransition transition, Instant after) {
        if (transition == null || !transition.isGap()) {
            return null;
        }
        ZoneOffset before = transition.getOffsetBefore();
        LocalDateTime from = ceilToMinute(transition.getDateTimeBefore());
        LocalDateTime afterLocal = LocalDateTime.ofInstant(after, before).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        if (afterLocal.isAfter(from)) {
            from = afterLocal;
        }
        LocalDateTime match = nextMatch(from, transition.getDateTimeAfter());
        return match == null ? null : match.toInstant(before);
    }

    private static Instant earlier(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private static List<Integer> values(long bits) {
        List<Integer> values = new ArrayList<>(Long.bitCount(bits));
        for (int value = nextSetBit(bits, 0); value >= 0; value = nextSetBit(bits, value + 1)) {
            values.add(value);
        }
        return Collections.unmodifiableList(values);
    }

    private static boolean isSecondOccurrence(LocalDateTime local, ZoneOffset offset, ZoneRules rules) {
        List<ZoneOffset> valid = rules.getValidOffsets(local);
        return valid.size() == 2 && offset.equals(valid.get(1));
    }

    /** The first matching wall-clock minute at or after {@code from} and before {@code end}, or null. */
    private LocalDateTime nextMatch(LocalDateTime from, LocalDateTime end) {
        LocalDate date = from.toLocalDate();
        int hour = from.getHour();
        int minute = from.getMinute();
        LocalDate lastDate = end.toLocalDate();
        while (!date.isAfter(lastDate)) {
            if (!has(months, date.getMonthValue())) {
                date = firstDayOfNextAllowedMonth(date);
                hour = 0;
                minute = 0;
                continue;
            }
            if (!dayMatches(date)) {
                date = date.plusDays(1);
                hour = 0;
                minute = 0;
                continue;
            }
            int h = nextSetBit(hours, hour);
            if (h < 0) {
                date = date.plusDays(1);
                hour = 0;
                minute = 0;
                continue;
            }
            int m = nextSetBit(minutes, h == hour ? minute : 0);
            if (m < 0) {
                hour = h + 1;
                minute = 0;
                if (hour > 23) {
                    date = date.plusDays(1);
                    hour = 0;
                }
                continue;
            }
            LocalDateTime match = date.atTime(h, m);
            return match.isBefore(end) ? match : null;
        }
        return null;
    }

    private LocalDate firstDayOfNextAllowedMonth(LocalDate date) {
        int next = nextSetBit(months, date.getMonthValue() + 1);
        return next > 0
                ? LocalDate.of(date.getYear(), next, 1)
                : LocalDate.of(date.getYear() + 1, nextSetBit(months, 1), 1);
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = has(daysOfMonth, date.getDayOfMonth());
        boolean dow = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
        return eitherDayMatches ? dom || dow : dom && dow;
    }

    private boolean anyDayCanExist() {
        if (eitherDayMatches) {
            // Every month contains every weekday, and the day-of-week field is never empty.
            return true;
        }
        for (int month = 1; month <= 12; month++) {
            long daysInMonth = (1L << (Month.of(month).maxLength() + 1)) - 2;
            if (has(months, month) && (daysOfMonth & daysInMonth) != 0) {
                // Over the Gregorian cycle every existing month/day, Feb 29 included, falls on every weekday.
                return true;
            }
        }
        return false;
    }

    private static LocalDateTime ceilToMinute(LocalDateTime time) {
        LocalDateTime truncated = time.truncatedTo(ChronoUnit.MINUTES);
        return truncated.equals(time) ? time : truncated.plusMinutes(1);
    }

    private static boolean has(long bits, int value) {
        return (bits & (1L << value)) != 0;
    }

    private static int nextSetBit(long bits, int from) {
        if (from >= Long.SIZE) {
            return -1;
        }
        long remaining = bits & (-1L << from);
        return remaining == 0 ? -1 : Long.numberOfTrailingZeros(remaining);
    }

    private static long parseField(String text, FieldSpec spec) {
        rejectQuartzCharacters(text, spec);
        long bits = 0;
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException(spec.name + " field '" + text + "' has an empty list entry");
            }
            bits |= parsePart(part, spec);
        }
        return bits;
    }

    private static long parsePart(String part, FieldSpec spec) {
        int slash = part.indexOf('/');
        String range = slash < 0 ? part : part.substring(0, slash);
        int step = slash < 0 ? 1 : parseStep(part.substring(slash + 1), part, spec);
        int low;
        int high;
        if (range.equals("*")) {
            low = spec.min;
            high = spec.max;
        } else if (range.contains("*")) {
            throw new IllegalArgumentException(
                    spec.name + " field '" + part + "' is invalid: '*' must stand alone or start a step like '*/5'");
        } else {
            int dash = range.indexOf('-');
            if (dash >= 0 && range.indexOf('-', dash + 1) >= 0) {
                throw new IllegalArgumentException(spec.name + " field '" + part + "' is not a valid range");
            }
            if (dash < 0) {
                low = parseValue(range, part, spec);
                // "a/n" is Vixie shorthand for "a-max/n".
                high = slash < 0 ? low : spec.max;
            } else {
                low = parseValue(range.substring(0, dash), part, spec);
                high = parseValue(range.substring(dash + 1), part, spec);
                if (low > high) {
                    throw new IllegalArgumentException(
                            spec.name + " range '" + range + "' is reversed: the start must not be after the end");
                }
            }
        }
        long bits = 0;
        for (int value = low; value <= high; value += step) {
            bits |= 1L << value;
        }
        return bits;
    }

    private static int parseStep(String text, String part, FieldSpec spec) {
        if (!isDigits(text) || text.length() > 9 || Integer.parseInt(text) == 0) {
            throw new IllegalArgumentException(spec.name + " step must be a positive number in '" + part + "'");
        }
        return Integer.parseInt(text);
    }

    private static int parseValue(String token, String part, FieldSpec spec) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException(spec.name + " field '" + part + "' is missing a number");
        }
        if (isDigits(token)) {
            int value = token.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(token);
            if (value < spec.min || value > spec.max) {
                throw new IllegalArgumentException(spec.name + " value " + (token.length() > 9 ? token : value)
                        + " is out of range " + spec.min + "-" + spec.max);
            }
            return value;
        }
        String upper = token.toUpperCase(Locale.ROOT);
        if (spec.names != null) {
            for (int i = 0; i < spec.names.length; i++) {
                if (spec.names[i].equals(upper)) {
                    return i + spec.firstNameValue;
                }
            }
        }
        if (upper.matches("L|LW|\\d+[LW]")) {
            // Checked only after names fail, because JUL and WED legitimately contain L and W.
            throw unsupported(spec, part, upper.contains("L") ? 'L' : 'W');
        }
        throw new IllegalArgumentException(spec.name + " field '" + token + "' is not a number" + spec.nameHint);
    }

    private static void rejectQuartzCharacters(String text, FieldSpec spec) {
        for (char c : new char[] {'?', '#'}) {
            if (text.indexOf(c) >= 0) {
                throw unsupported(spec, text, c);
            }
        }
    }

    private static IllegalArgumentException unsupported(FieldSpec spec, String text, char c) {
        return new IllegalArgumentException(spec.name + " field '" + text + "' uses '" + c
                + "', which is not supported (no ?, L, W or # in standard cron)");
    }

    private static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private record FieldSpec(String name, int min, int max, String[] names, int firstNameValue, String nameHint) {
    }
}
