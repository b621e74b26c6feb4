package io.skyrun.outputs;

import java.time.Instant;

/** A file a run produced. */
public record StoredFile(String name, String contentType, long size, Instant createdAt) {
}
