package io.ironlake.jobs.late;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;

/**
 * A point that an event-time operator received behind its watermark, as kept in {@code
 * ironlake.late_points}: who found it late, the point (exactly one value field set, per its type)
 * and the operator's watermark at that moment.
 *
 * @param job the job, e.g. {@code energy}
 * @param operator the operator's name, e.g. {@code energy-per-minute}
 * @param watermarkMillis the operator's event-time watermark when the point arrived
 */
public record LatePoint(
    String job,
    String operator,
    String site,
    String area,
    String line,
    String device,
    String tag,
    long tsMicros,
    long watermarkMillis,
    Double valueDouble,
    Long valueLong,
    Boolean valueBool,
    String valueString,
    String quality,
    long ingestTsMicros,
    String collectorId,
    String source,
    long seq) {

  /** The late point {@code p} found by {@code operator} of {@code job} at {@code watermark}. */
  public static LatePoint of(String job, String operator, TelemetryPoint p, long watermarkMillis) {
    PointValue v = p.value();
    return new LatePoint(
        job,
        operator,
        p.site(),
        p.area(),
        p.line(),
        p.device(),
        p.tag(),
        p.tsMicros(),
        watermarkMillis,
        v instanceof PointValue.DoubleValue d ? d.value() : null,
        v instanceof PointValue.LongValue l ? l.value() : null,
        v instanceof PointValue.BooleanValue b ? b.value() : null,
        v instanceof PointValue.StringValue s ? s.value() : null,
        p.quality().name(),
        p.ingestTsMicros(),
        p.collectorId(),
        p.source(),
        p.seq());
  }
}
