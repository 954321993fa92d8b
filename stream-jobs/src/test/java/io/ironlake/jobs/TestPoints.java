package io.ironlake.jobs;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Crafted points for operator tests, and a bounded stream of them with deterministic watermarks.
 */
public final class TestPoints {
  private final String site;
  private final String area;
  private final Instant t0;
  private long seq;

  /** Points of {@code site/area/...} with times counted from {@code t0}. */
  public TestPoints(String site, String area, Instant t0) {
    this.site = site;
    this.area = area;
    this.t0 = t0;
  }

  /** A GOOD point {@code seconds} after t0. */
  public TelemetryPoint at(String line, String device, String tag, double seconds, PointValue v) {
    return at(line, device, tag, seconds, v, Quality.GOOD);
  }

  /** A point {@code seconds} after t0. */
  public TelemetryPoint at(
      String line, String device, String tag, double seconds, PointValue v, Quality quality) {
    long micros = t0.getEpochSecond() * 1_000_000L + Math.round(seconds * 1_000_000);
    return new TelemetryPoint(
        site,
        area,
        line,
        device,
        tag,
        micros,
        micros + 1_000L,
        v,
        quality,
        quality == Quality.BAD ? 0x80000000L : 0L,
        "",
        "edge-test",
        "test",
        seq++);
  }

  /** Microseconds of {@code seconds} after t0. */
  public long micros(double seconds) {
    return t0.getEpochSecond() * 1_000_000L + Math.round(seconds * 1_000_000);
  }

  /**
   * The points as a bounded stream in the given order, with a watermark after every point that
   * trails the newest timestamp by {@code boundMillis}; at the end the final watermark fires every
   * timer. Whether a point is late at an operator that also reads rules depends on when that input
   * reported its watermark: tests of late points use {@link GatedPoints}.
   */
  public static DataStream<TelemetryPoint> stream(
      StreamExecutionEnvironment env, List<TelemetryPoint> points, long boundMillis) {
    return withWatermarks(
        env.fromData(points, TelemetryPointTypeInfo.INSTANCE).setParallelism(1), boundMillis);
  }

  /** {@code points} with a watermark after each, {@code boundMillis} behind the newest. */
  static DataStream<TelemetryPoint> withWatermarks(
      DataStream<TelemetryPoint> points, long boundMillis) {
    return points
        .assignTimestampsAndWatermarks(
            WatermarkStrategy.<TelemetryPoint>forGenerator(ctx -> new EveryPoint(boundMillis))
                .withTimestampAssigner((p, previous) -> Math.floorDiv(p.tsMicros(), 1000L)))
        .setParallelism(1);
  }

  /** Emits a watermark after each point. */
  private static final class EveryPoint implements WatermarkGenerator<TelemetryPoint> {
    private final long bound;
    private long max = Long.MIN_VALUE;

    EveryPoint(long bound) {
      this.bound = bound;
    }

    @Override
    public void onEvent(TelemetryPoint p, long timestamp, WatermarkOutput out) {
      max = Math.max(max, timestamp);
      out.emitWatermark(new Watermark(max - bound - 1));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput out) {}
  }
}
