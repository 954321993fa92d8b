package io.ironlake.collector.config;

import java.util.Locale;
import java.util.Objects;

/**
 * The deadband of an OPC UA data change filter ({@code deadband-type}, {@code deadband-value}): a
 * numeric value is reported only when it moved more than this from the last reported one.
 *
 * @param type none, absolute (in the node's unit) or percent (of the node's EURange)
 * @param value the deadband, at least 0; at most 100 for percent
 */
public record Deadband(Type type, double value) {
  /** No deadband: every change is reported. */
  public static final Deadband NONE = new Deadband(Type.NONE, 0);

  /** The kinds of deadband OPC UA defines. */
  public enum Type {
    NONE,
    ABSOLUTE,
    PERCENT;

    /** The YAML spelling: none, absolute, percent. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Deadband {
    Objects.requireNonNull(type, "type");
    if (!(value >= 0) || (type == Type.PERCENT && value > 100)) {
      throw new IllegalArgumentException(
          "Invalid deadband value " + value + ": expected 0..100 for percent, >= 0 otherwise");
    }
  }

  /** An absolute deadband in the node's unit. */
  public static Deadband absolute(double value) {
    return new Deadband(Type.ABSOLUTE, value);
  }

  /** A deadband in percent of the node's EURange (the server needs an EURange property). */
  public static Deadband percent(double value) {
    return new Deadband(Type.PERCENT, value);
  }

  /** Whether a filter applies at all. */
  public boolean active() {
    return type != Type.NONE;
  }
}
