package io.skyrun.json;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the free-form JSON fields (params, working memory, tool input) into text for storage and back. */
@Singleton
public class JsonCodec {
    private static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);

    private final JsonMapper mapper;

    public JsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    public String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return new String(mapper.writeValueAsBytes(value), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Object> readMap(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            Map<String, Object> map = mapper.readValue(text, MAP);
            return map == null ? null : new LinkedHashMap<>(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonMapper mapper() {
        return mapper;
    }
}
