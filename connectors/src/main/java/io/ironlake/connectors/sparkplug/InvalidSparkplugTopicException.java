package io.ironlake.connectors.sparkplug;

/** Thrown when an MQTT topic is not a valid Sparkplug B topic. */
public class InvalidSparkplugTopicException extends SparkplugException {
  public InvalidSparkplugTopicException(String message) {
    super(message);
  }
}
