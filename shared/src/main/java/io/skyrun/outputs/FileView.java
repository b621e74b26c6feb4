package io.skyrun.outputs;

import io.micronaut.serde.annotation.Serdeable;
import io.skyrun.time.Timestamps;

/** A run's file as {@code GET /api/v1/runs/{id}/files} lists it. */
@Serdeable.Serializable
public record FileView(String name, String contentType, long size, String createdAt, String path) {
    public static FileView of(StoredFile f, String path) {
        return new FileView(f.name(), f.contentType(), f.size(), Timestamps.format(f.createdAt()), path);
    }
}
