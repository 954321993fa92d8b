package io.ironlake.connectors.sparkplug;

/** Thrown when bytes are not a Sparkplug B payload, or a metric in it breaks the specification. */
public class InvalidSparkplugPayloadException extends SparkplugException {
  public InvalidSparkplugPayloadException(String message) {
    super(message);
  }

  public InvalidSparkplugPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
