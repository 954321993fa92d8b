package io.ironlake.bench.codec;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Points per second through the telemetry wire format (encode, decode, both), against a ceiling
 * measured in the same run: the same fields written to and read from a ByteBuffer by hand, with no
 * schema, version or field tags.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TelemetryCodecBenchmark {
  private TelemetryPoint point;
  private byte[] encoded;
  private final ByteBuffer raw = ByteBuffer.allocate(512);

  @Setup
  public void setUp() {
    point =
        new TelemetryPoint(
            "plant-sh",
            "assembly",
            "line-1",
            "m03",
            "power_kw",
            1_764_201_600_123_000L,
            1_764_201_600_140_000L,
            PointValue.of(12.5 + Math.random()),
            Quality.GOOD,
            0L,
            "kW",
            "edge-1",
            "opcua-plant",
            1_234_567L);
    encoded = TelemetryCodec.encode(point);
  }

  @Benchmark
  public byte[] encode() {
    return TelemetryCodec.encode(point);
  }

  @Benchmark
  public TelemetryPoint decode() {
    return TelemetryCodec.decode(encoded);
  }

  @Benchmark
  public TelemetryPoint roundTrip() {
    return TelemetryCodec.decode(TelemetryCodec.encode(point));
  }

  /** The ceiling: the same round trip written by hand, with nothing but the field bytes. */
  @Benchmark
  public TelemetryPoint ceilingHandWrittenRoundTrip() {
    raw.clear();
    putString(point.site());
    putString(point.area());
    putString(point.line());
    putString(point.device());
    putString(point.tag());
    raw.putLong(point.tsMicros());
    raw.putLong(point.ingestTsMicros());
    raw.putDouble(point.value().asDouble());
    raw.put((byte) point.quality().ordinal());
    raw.putInt((int) point.statusCode());
    putString(point.unit());
    putString(point.collectorId());
    putString(point.source());
    raw.putLong(point.seq());
    byte[] bytes = new byte[raw.position()];
    raw.flip();
    raw.get(bytes);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    return new TelemetryPoint(
        getString(in),
        getString(in),
        getString(in),
        getString(in),
        getString(in),
        in.getLong(),
        in.getLong(),
        PointValue.of(in.getDouble()),
        Quality.values()[in.get()],
        Integer.toUnsignedLong(in.getInt()),
        getString(in),
        getString(in),
        getString(in),
        in.getLong());
  }

  private void putString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    raw.put((byte) b.length);
    raw.put(b);
  }

  private static String getString(ByteBuffer in) {
    byte[] b = new byte[in.get()];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
