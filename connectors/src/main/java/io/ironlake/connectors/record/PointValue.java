package io.ironlake.connectors.record;

import java.util.Objects;

/** The value of a telemetry point: one of double, long, boolean or string. */
public sealed interface PointValue
    permits PointValue.DoubleValue,
        PointValue.LongValue,
        PointValue.BooleanValue,
        PointValue.StringValue {

  /** The value as a double; booleans are 1 or 0. */
  double asDouble();

  /** Whether {@link #asDouble()} gives a number for this value. */
  boolean isNumeric();

  /** The value as text, for display and for the lake's string column. */
  String asText();

  static PointValue of(double value) {
    return new DoubleValue(value);
  }

  static PointValue of(long value) {
    return new LongValue(value);
  }

  static PointValue of(boolean value) {
    return new BooleanValue(value);
  }

  static PointValue of(String value) {
    return new StringValue(value);
  }

  /** A floating point value. */
  record DoubleValue(double value) implements PointValue {
    @Override
    public double asDouble() {
      return value;
    }

    @Override
    public boolean isNumeric() {
      return true;
    }

    @Override
    public String asText() {
      return Double.toString(value);
    }
  }

  /** An integer value, such as a counter. */
  record LongValue(long value) implements PointValue {
    @Override
    public double asDouble() {
      return value;
    }

    @Override
    public boolean isNumeric() {
      return true;
    }

    @Override
    public String asText() {
      return Long.toString(value);
    }
  }

  /** A boolean value, such as a digital input. */
  record BooleanValue(boolean value) implements PointValue {
    @Override
    public double asDouble() {
      return value ? 1.0 : 0.0;
    }

    @Override
    public boolean isNumeric() {
      return true;
    }

    @Override
    public String asText() {
      return Boolean.toString(value);
    }
  }

  /** A text value, such as a machine state. */
  record StringValue(String value) implements PointValue {
    public StringValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public double asDouble() {
      throw new IllegalStateException("Cannot read a string value as a number: " + value);
    }

    @Override
    public boolean isNumeric() {
      return false;
    }

    @Override
    public String asText() {
      return value;
    }
  }
}
