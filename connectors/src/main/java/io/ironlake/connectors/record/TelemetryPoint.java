package io.ironlake.connectors.record;

import java.util.Objects;

/**
 * One point of one tag of one device at one time: the canonical record of Ironlake.
 *
 * <p>{@code (collectorId, source, seq)} identifies a point for deduplication: {@code seq} rises by
 * one per point per (collector, source) and survives restarts.
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device (machine) on the line
 * @param tag the measured quantity, e.g. {@code power_kw}
 * @param tsMicros source timestamp (event time), microseconds since the epoch, UTC
 * @param ingestTsMicros when the collector read the point, microseconds since the epoch, UTC
 * @param value the value
 * @param quality GOOD, UNCERTAIN or BAD
 * @param statusCode the raw OPC UA status code (0 for Good)
 * @param unit engineering unit, empty when unknown
 * @param collectorId the collector that read the point
 * @param source the collector's source (connection) the point came from
 * @param seq sequence number per (collector, source)
 */
public record TelemetryPoint(
    String site,
    String area,
    String line,
    String device,
    String tag,
    long tsMicros,
    long ingestTsMicros,
    PointValue value,
    Quality quality,
    long statusCode,
    String unit,
    String collectorId,
    String source,
    long seq) {

  public TelemetryPoint {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(area, "area");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(quality, "quality");
    Objects.requireNonNull(collectorId, "collectorId");
    Objects.requireNonNull(source, "source");
    unit = unit == null ? "" : unit;
  }

  /** The ISA-95 path of the device, {@code site/area/line/device}: the Kafka key. */
  public String devicePath() {
    return site + '/' + area + '/' + line + '/' + device;
  }

  /** A copy of this point with another sequence number. */
  public TelemetryPoint withSeq(long newSeq) {
    return new TelemetryPoint(
        site,
        area,
        line,
        device,
        tag,
        tsMicros,
        ingestTsMicros,
        value,
        quality,
        statusCode,
        unit,
        collectorId,
        source,
        newSeq);
  }
}
