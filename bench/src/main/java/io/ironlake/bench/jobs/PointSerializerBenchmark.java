package io.ironlake.bench.jobs;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.TelemetryPointSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
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
 * Nanoseconds per point through the Flink point serializer ({@code TelemetryPointSerializer}), the
 * cost a point pays at each keyed exchange: serialize, deserialize, both, and deserialize followed
 * by the lookups an operator does next (hash maps keyed by device, then tag). The points are the
 * indicator benchmarks' ({@link IndicatorInput}): 100 devices x 8 tags with double values, cycled
 * so that repeated names come round as they do in a plant.
 *
 * <p>The {@code *Direct} benchmarks are the baseline in the same run: records of the previous
 * format (0xD2, every field read with its own {@code DataInputView} call, a fresh array and String
 * per string), read by the serializer's reader for that format (kept for restores), and written by
 * a copy of that format's writer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Thread)
public class PointSerializerBenchmark {
  private static final TelemetryPointSerializer SERIALIZER = TelemetryPointSerializer.INSTANCE;
  private static final int DEVICES = 100;
  private static final int MACHINES = 20;

  private TelemetryPoint[] points;
  private byte[][] serialized;
  private byte[][] serializedDirect;
  private final Map<String, Map<String, Double>> lastByDeviceAndTag = new HashMap<>();
  private final DataOutputSerializer out = new DataOutputSerializer(256);
  private final DataInputDeserializer in = new DataInputDeserializer();
  private int next;

  @Setup
  public void setUp() throws IOException {
    int tags = IndicatorInput.TAGS.size();
    points = new TelemetryPoint[DEVICES * tags];
    serialized = new byte[points.length][];
    serializedDirect = new byte[points.length][];
    long ts = 1_767_592_800_000_000L;
    for (int d = 0; d < DEVICES; d++) {
      String line = "line-" + (d / MACHINES + 1);
      String device = String.format("m%03d", d % MACHINES + 1);
      for (int t = 0; t < tags; t++) {
        int i = d * tags + t;
        points[i] =
            new TelemetryPoint(
                IndicatorInput.SITE,
                IndicatorInput.AREA,
                line,
                device,
                IndicatorInput.TAGS.get(t),
                ts,
                ts + 20_000,
                PointValue.of(30 + i * 0.01),
                Quality.GOOD,
                0L,
                "",
                "bench",
                "plant",
                i);
        out.clear();
        SERIALIZER.serialize(points[i], out);
        serialized[i] = out.getCopyOfBuffer();
        out.clear();
        writeDirect(points[i], out);
        serializedDirect[i] = out.getCopyOfBuffer();
        // The map's keys are the strings of an earlier deserialized point, as in an operator
        // whose state was built from earlier points.
        in.setBuffer(serialized[i]);
        TelemetryPoint earlier = SERIALIZER.deserialize(in);
        lastByDeviceAndTag
            .computeIfAbsent(earlier.device(), k -> new HashMap<>())
            .put(earlier.tag(), 0.0);
      }
    }
  }

  private int nextIndex() {
    int i = next;
    next = i + 1 == points.length ? 0 : i + 1;
    return i;
  }

  @Benchmark
  public int serialize() throws IOException {
    out.clear();
    SERIALIZER.serialize(points[nextIndex()], out);
    return out.length();
  }

  @Benchmark
  public TelemetryPoint deserialize() throws IOException {
    in.setBuffer(serialized[nextIndex()]);
    return SERIALIZER.deserialize(in);
  }

  @Benchmark
  public TelemetryPoint roundTrip() throws IOException {
    out.clear();
    SERIALIZER.serialize(points[nextIndex()], out);
    in.setBuffer(out.getSharedBuffer(), 0, out.length());
    return SERIALIZER.deserialize(in);
  }

  /** Deserialize, then find the point's entry by its strings, as a keyed operator's state does. */
  @Benchmark
  public Double deserializeAndLookUp() throws IOException {
    in.setBuffer(serialized[nextIndex()]);
    TelemetryPoint p = SERIALIZER.deserialize(in);
    Map<String, Double> byTag = lastByDeviceAndTag.get(p.device());
    return byTag == null ? null : byTag.get(p.tag());
  }

  @Benchmark
  public int serializeDirect() throws IOException {
    out.clear();
    writeDirect(points[nextIndex()], out);
    return out.length();
  }

  @Benchmark
  public TelemetryPoint deserializeDirect() throws IOException {
    in.setBuffer(serializedDirect[nextIndex()]);
    return SERIALIZER.deserialize(in);
  }

  @Benchmark
  public Double deserializeDirectAndLookUp() throws IOException {
    in.setBuffer(serializedDirect[nextIndex()]);
    TelemetryPoint p = SERIALIZER.deserialize(in);
    Map<String, Double> byTag = lastByDeviceAndTag.get(p.device());
    return byTag == null ? null : byTag.get(p.tag());
  }

  /** The previous format's writer (0xD2), as it was: a call per field, an array per string. */
  private static void writeDirect(TelemetryPoint p, DataOutputView target) throws IOException {
    target.writeByte(0xD2);
    writeString(p.site(), target);
    writeString(p.area(), target);
    writeString(p.line(), target);
    writeString(p.device(), target);
    writeString(p.tag(), target);
    target.writeLong(p.tsMicros());
    target.writeLong(p.ingestTsMicros());
    PointValue value = p.value();
    if (value instanceof PointValue.DoubleValue d) {
      target.writeByte(0);
      target.writeDouble(d.value());
    } else if (value instanceof PointValue.LongValue l) {
      target.writeByte(1);
      target.writeLong(l.value());
    } else if (value instanceof PointValue.BooleanValue b) {
      target.writeByte(2);
      target.writeBoolean(b.value());
    } else {
      target.writeByte(3);
      writeString(((PointValue.StringValue) value).value(), target);
    }
    target.writeByte(p.quality().ordinal());
    target.writeLong(p.statusCode());
    writeString(p.unit(), target);
    writeString(p.collectorId(), target);
    writeString(p.source(), target);
    target.writeLong(p.seq());
  }

  private static void writeString(String s, DataOutputView target) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    while ((n & ~0x7F) != 0) {
      target.writeByte((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    target.writeByte(n);
    target.write(bytes);
  }
}
