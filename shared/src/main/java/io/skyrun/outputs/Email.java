package io.skyrun.outputs;

import java.util.List;

/** A plain-text email. */
public record Email(String from, List<String> to, String subject, String text) {
}
