package io.ironlake.collector.config;

/**
 * One key of the collector's YAML file: where it lives, its type, its default and what it means.
 *
 * @param section the mapping the key belongs to, e.g. {@code kafka} or {@code sources[] (mqtt)}
 * @param name the key itself, e.g. {@code linger-ms}
 * @param type the accepted values, e.g. {@code integer 0..60000}
 * @param defaultValue the default as written in the README, or {@code null} when the key is
 *     required
 * @param doc what the key means, as a noun phrase (used in "Missing key" messages too)
 */
public record ConfigKey(String section, String name, String type, String defaultValue, String doc) {

  /** Whether the file must set this key. */
  public boolean required() {
    return defaultValue == null;
  }
}
