package io.ironlake.connectors.codec;

/** Thrown when bytes cannot be decoded as a telemetry point. */
public class TelemetryCodecException extends RuntimeException {
  public TelemetryCodecException(String message) {
    super(message);
  }

  public TelemetryCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
