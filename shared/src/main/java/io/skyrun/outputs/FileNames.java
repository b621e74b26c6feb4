package io.skyrun.outputs;

import io.skyrun.errors.BadRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Output file names (checked, never a path) and the content type each extension is served with. */
public final class FileNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Map<String, String> TYPES = Map.of(
            "md", "text/markdown; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "json", "application/json",
            "csv", "text/csv; charset=utf-8",
            "html", "text/plain; charset=utf-8");

    private FileNames() {
    }

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    /** The name, or 400 naming the field. */
    public static String check(String name, String field) {
        if (!valid(name)) {
            throw new BadRequest(field + " must be 1-100 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit, without '..'");
        }
        return name;
    }

    /** Served as plain text where a browser would otherwise run it (html). */
    public static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /** One path segment for an owner id, whatever characters it has. */
    public static String ownerSegment(String ownerId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ownerId.getBytes(StandardCharsets.UTF_8));
    }
}
