package io.ironlake.connectors.record;

import java.util.Objects;

/**
 * One point of one tag of one device at one time: the canonical record of Ironlake.
 *
 * <p>{@code (collectorId, source, seq)} identifies a point for deduplication: {@code seq} rises by
 * one per point per (collector, source) and survives restarts.
 *
 * <p>A final class with the accessors, {@code equals}, {@code hashCode} and {@code toString} a
 * record of its fields would have, so that {@link #devicePath()} is built once per point: the
 * stream jobs key, route and look rules up by it several times per point.
 */
public final class TelemetryPoint {
  private final String site;
  private final String area;
  private final String line;
  private final String device;
  private final String tag;
  private final long tsMicros;
  private final long ingestTsMicros;
  private final PointValue value;
  private final Quality quality;
  private final long statusCode;
  private final String unit;
  private final String collectorId;
  private final String source;
  private final long seq;
  private String devicePath; // built on first use; a race only builds it twice

  /** A point; {@code unit} null means empty (unknown). */
  public TelemetryPoint(
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
    this.site = Objects.requireNonNull(site, "site");
    this.area = Objects.requireNonNull(area, "area");
    this.line = Objects.requireNonNull(line, "line");
    this.device = Objects.requireNonNull(device, "device");
    this.tag = Objects.requireNonNull(tag, "tag");
    this.value = Objects.requireNonNull(value, "value");
    this.quality = Objects.requireNonNull(quality, "quality");
    this.collectorId = Objects.requireNonNull(collectorId, "collectorId");
    this.source = Objects.requireNonNull(source, "source");
    this.tsMicros = tsMicros;
    this.ingestTsMicros = ingestTsMicros;
    this.statusCode = statusCode;
    this.unit = unit == null ? "" : unit;
    this.seq = seq;
  }

  /** ISA-95 site. */
  public String site() {
    return site;
  }

  /** ISA-95 area. */
  public String area() {
    return area;
  }

  /** ISA-95 line. */
  public String line() {
    return line;
  }

  /** The device (machine) on the line. */
  public String device() {
    return device;
  }

  /** The measured quantity, e.g. {@code power_kw}. */
  public String tag() {
    return tag;
  }

  /** Source timestamp (event time), microseconds since the epoch, UTC. */
  public long tsMicros() {
    return tsMicros;
  }

  /** When the collector read the point, microseconds since the epoch, UTC. */
  public long ingestTsMicros() {
    return ingestTsMicros;
  }

  /** The value. */
  public PointValue value() {
    return value;
  }

  /** GOOD, UNCERTAIN or BAD. */
  public Quality quality() {
    return quality;
  }

  /** The raw OPC UA status code (0 for Good). */
  public long statusCode() {
    return statusCode;
  }

  /** Engineering unit, empty when unknown. */
  public String unit() {
    return unit;
  }

  /** The collector that read the point. */
  public String collectorId() {
    return collectorId;
  }

  /** The collector's source (connection) the point came from. */
  public String source() {
    return source;
  }

  /** Sequence number per (collector, source). */
  public long seq() {
    return seq;
  }

  /** The ISA-95 path of the device, {@code site/area/line/device}: the Kafka key. */
  public String devicePath() {
    String path = devicePath;
    if (path == null) {
      path = site + '/' + area + '/' + line + '/' + device;
      devicePath = path;
    }
    return path;
  }

  /**
   * Whether {@code other} is of the same device (site, area, line and device equal), without
   * building either path.
   */
  public boolean sameDeviceAs(TelemetryPoint other) {
    return same(device, other.device)
        && same(line, other.line)
        && same(area, other.area)
        && same(site, other.site);
  }

  private static boolean same(String a, String b) {
    return a == b || a.equals(b);
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

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof TelemetryPoint o)) {
      return false;
    }
    return site.equals(o.site)
        && area.equals(o.area)
        && line.equals(o.line)
        && device.equals(o.device)
        && tag.equals(o.tag)
        && tsMicros == o.tsMicros
        && ingestTsMicros == o.ingestTsMicros
        && value.equals(o.value)
        && quality.equals(o.quality)
        && statusCode == o.statusCode
        && unit.equals(o.unit)
        && collectorId.equals(o.collectorId)
        && source.equals(o.source)
        && seq == o.seq;
  }

  @Override
  public int hashCode() {
    int h = 0;
    h = 31 * h + site.hashCode();
    h = 31 * h + area.hashCode();
    h = 31 * h + line.hashCode();
    h = 31 * h + device.hashCode();
    h = 31 * h + tag.hashCode();
    h = 31 * h + Long.hashCode(tsMicros);
    h = 31 * h + Long.hashCode(ingestTsMicros);
    h = 31 * h + value.hashCode();
    h = 31 * h + quality.hashCode();
    h = 31 * h + Long.hashCode(statusCode);
    h = 31 * h + unit.hashCode();
    h = 31 * h + collectorId.hashCode();
    h = 31 * h + source.hashCode();
    h = 31 * h + Long.hashCode(seq);
    return h;
  }

  @Override
  public String toString() {
    return "TelemetryPoint["
        + "site="
        + site
        + ", area="
        + area
        + ", line="
        + line
        + ", device="
        + device
        + ", tag="
        + tag
        + ", tsMicros="
        + tsMicros
        + ", ingestTsMicros="
        + ingestTsMicros
        + ", value="
        + value
        + ", quality="
        + quality
        + ", statusCode="
        + statusCode
        + ", unit="
        + unit
        + ", collectorId="
        + collectorId
        + ", source="
        + source
        + ", seq="
        + seq
        + "]";
  }
}
