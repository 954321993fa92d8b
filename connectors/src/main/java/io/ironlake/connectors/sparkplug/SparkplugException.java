package io.ironlake.connectors.sparkplug;

/** Thrown when Sparkplug B input (a topic, a payload) cannot be understood. */
public class SparkplugException extends RuntimeException {
  public SparkplugException(String message) {
    super(message);
  }

  public SparkplugException(String message, Throwable cause) {
    super(message, cause);
  }
}
