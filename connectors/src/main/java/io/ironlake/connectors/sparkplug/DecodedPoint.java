package io.ironlake.connectors.sparkplug;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.Objects;

/**
 * One value decoded from a Sparkplug message, ready to become a {@link TelemetryPoint} once the
 * collector adds its identity.
 *
 * @param path where it belongs in the plant model
 * @param tag the metric name (a template member is {@code metric/member})
 * @param tsMicros the metric's timestamp (else the payload's, else the time of decoding), µs UTC
 * @param value the value
 * @param quality GOOD, or BAD after a death certificate, or the metric's {@code Quality} property
 * @param statusCode an OPC UA status code matching the quality (0 for GOOD)
 * @param unit engineering unit from the birth's {@code engUnit} property, empty when unknown
 * @param historical whether the edge node flagged the value as historical (sent late)
 */
public record DecodedPoint(
    DevicePath path,
    String tag,
    long tsMicros,
    PointValue value,
    Quality quality,
    long statusCode,
    String unit,
    boolean historical) {

  public DecodedPoint {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(quality, "quality");
    unit = unit == null ? "" : unit;
  }

  /** The telemetry point, with the collector's identity and read time. */
  public TelemetryPoint toTelemetryPoint(
      long ingestTsMicros, String collectorId, String source, long seq) {
    return new TelemetryPoint(
        path.site(),
        path.area(),
        path.line(),
        path.device(),
        tag,
        tsMicros,
        ingestTsMicros,
        value,
        quality,
        statusCode,
        unit,
        collectorId,
        source,
        seq);
  }
}
