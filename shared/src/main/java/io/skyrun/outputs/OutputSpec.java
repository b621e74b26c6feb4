package io.skyrun.outputs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One output a goal asks for, as {@code params.outputs[]} holds it.
 *
 * @param name file name of a {@code file} output (default {@value #DEFAULT_FILE})
 * @param to   recipients of an {@code email} output
 */
public record OutputSpec(OutputKind kind, String name, List<String> to) {
    public static final String DEFAULT_FILE = "result.md";

    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind.wire());
        if (name != null) {
            out.put("name", name);
        }
        if (to != null) {
            out.put("to", to);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static OutputSpec fromMap(Map<String, Object> map) {
        Object to = map.get("to");
        return new OutputSpec(OutputKind.parse((String) map.get("kind")).orElseThrow(), (String) map.get("name"),
                to == null ? null : new ArrayList<>((List<String>) to));
    }

    public String fileName() {
        return name == null ? DEFAULT_FILE : name;
    }
}
