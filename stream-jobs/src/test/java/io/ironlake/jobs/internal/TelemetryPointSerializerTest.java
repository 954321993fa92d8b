package io.ironlake.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class TelemetryPointSerializerTest {
  private static final TelemetryPointSerializer SERIALIZER = TelemetryPointSerializer.INSTANCE;

  @Test
  void readsRecordsOfTheFirstVersionNextToCompactOnes() throws Exception {
    // State written by the first version (length + wire format) restores, e.g. the points waiting
    // in an indicator's state in a savepoint, followed by a record of this version.
    List<TelemetryPoint> points =
        List.of(
            point(PointValue.of(1.5), Quality.GOOD),
            point(PointValue.of(-7L), Quality.UNCERTAIN),
            point(PointValue.of(true), Quality.BAD),
            point(PointValue.of("RUNNING \u00e9\u6c34"), Quality.GOOD));
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (TelemetryPoint p : points) {
      byte[] wire = TelemetryCodec.encode(p);
      out.writeInt(wire.length);
      out.write(wire);
      SERIALIZER.serialize(p, out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (TelemetryPoint p : points) {
      assertThat(SERIALIZER.deserialize(in)).as("first version").isEqualTo(p);
      assertThat(SERIALIZER.deserialize(in)).as("compact").isEqualTo(p);
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void readsDirectRecordsWithStringValueStrings() throws Exception {
    // The direct format before strings were written as UTF-8 bytes: a savepoint of that version.
    TelemetryPoint p = point(PointValue.of("RUNNING \u00e9\u6c34"), Quality.UNCERTAIN);
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeByte(TelemetryPointSerializer.DIRECT_STRING_VALUE);
    for (String s : List.of(p.site(), p.area(), p.line(), p.device(), p.tag())) {
      StringValue.writeString(s, out);
    }
    out.writeLong(p.tsMicros());
    out.writeLong(p.ingestTsMicros());
    out.writeByte(3); // a string value
    StringValue.writeString(p.value().asText(), out);
    out.writeByte(p.quality().ordinal());
    out.writeLong(p.statusCode());
    for (String s : List.of(p.unit(), p.collectorId(), p.source())) {
      StringValue.writeString(s, out);
    }
    out.writeLong(p.seq());
    SERIALIZER.serialize(p, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(SERIALIZER.deserialize(in)).as("StringValue strings").isEqualTo(p);
    assertThat(SERIALIZER.deserialize(in)).as("UTF-8 strings").isEqualTo(p);
    assertThat(in.available()).isZero();
  }

  @Test
  void readsLongStringsAndRefusesAnUnknownFormat() throws Exception {
    String longText = "x".repeat(70_000) + "\u00e9";
    TelemetryPoint p = point(PointValue.of(longText), Quality.GOOD);
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(p, out);
    assertThat(SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
        .isEqualTo(p);
    assertThatThrownBy(
            () -> SERIALIZER.deserialize(new DataInputDeserializer(new byte[] {(byte) 0xD9, 1})))
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot read telemetry point: unknown format 217");
  }

  @Test
  void copiesTheFirstFormatIntoTheCompactOne() throws Exception {
    TelemetryPoint p = point(PointValue.of(42L), Quality.GOOD);
    DataOutputSerializer old = new DataOutputSerializer(64);
    byte[] wire = TelemetryCodec.encode(p);
    old.writeInt(wire.length);
    old.write(wire);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    SERIALIZER.copy(new DataInputDeserializer(old.getCopyOfBuffer()), copied);
    assertThat(copied.getSharedBuffer()[0]).isEqualTo(TelemetryPointSerializer.COMPACT);
    assertThat(SERIALIZER.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())))
        .isEqualTo(p);
  }

  @Test
  void roundTripsEveryValueKindInTheCompactFormat() throws Exception {
    List<TelemetryPoint> points =
        List.of(
            point(PointValue.of(1.5), Quality.GOOD),
            point(PointValue.of(-0.0), Quality.GOOD),
            point(PointValue.of(Double.NaN), Quality.BAD),
            point(PointValue.of(Double.MAX_VALUE), Quality.GOOD),
            point(PointValue.of(Long.MIN_VALUE), Quality.UNCERTAIN),
            point(PointValue.of(0L), Quality.GOOD),
            point(PointValue.of(true), Quality.BAD),
            point(PointValue.of(false), Quality.GOOD),
            point(PointValue.of(""), Quality.GOOD),
            point(PointValue.of("RUNNING"), Quality.GOOD),
            new TelemetryPoint(
                "", "", "", "", "", -1L, 0L, PointValue.of(2L), Quality.GOOD, -5L, "", "", "", 0L));
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (TelemetryPoint p : points) {
      int start = out.length();
      SERIALIZER.serialize(p, out);
      assertThat(out.getSharedBuffer()[start]).isEqualTo(TelemetryPointSerializer.COMPACT);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (TelemetryPoint p : points) {
      TelemetryPoint read = SERIALIZER.deserialize(in);
      assertThat(read).isEqualTo(p);
      assertThat(read.value()).isEqualTo(p.value());
      assertThat(read.statusCode()).isEqualTo(p.statusCode());
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void roundTripsNonAsciiEmptyAndLongStrings() throws Exception {
    String atLimit = "d".repeat(Utf8StringCache.MAX_CACHED_BYTES);
    String overLimit = "\u00c4".repeat(Utf8StringCache.MAX_CACHED_BYTES / 2) + "x"; // 65 bytes
    String seventyKb = "\u6c34".repeat(24_000); // 72,000 bytes of UTF-8
    List<TelemetryPoint> points =
        List.of(
            named("Pr\u00fcfstand-\u00c4", "\u6a5f\u68b0-7", "temp\u00e9rature", "\u00b0C"),
            named("", "m001", "", ""),
            named(atLimit, overLimit, "power_kw", "kW"),
            named("line-1", "m001", "emoji_\ud83d\ude00", "kW"),
            point(PointValue.of(seventyKb), Quality.GOOD),
            point(PointValue.of("after the long one \u00e9"), Quality.GOOD));
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (TelemetryPoint p : points) {
      SERIALIZER.serialize(p, out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (TelemetryPoint p : points) {
      TelemetryPoint read = SERIALIZER.deserialize(in);
      assertThat(read).isEqualTo(p);
      assertThat(read.line()).isEqualTo(p.line());
      assertThat(read.device()).isEqualTo(p.device());
      assertThat(read.tag()).isEqualTo(p.tag());
      assertThat(read.unit()).isEqualTo(p.unit());
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void readsDirectRecordsOfTheThirdVersionNextToCompactOnes() throws Exception {
    // A savepoint of the build that wrote 0xD2 (strings as varint + UTF-8, read field by field).
    List<TelemetryPoint> points =
        List.of(
            point(PointValue.of(1.5), Quality.GOOD),
            point(PointValue.of(-7L), Quality.UNCERTAIN),
            point(PointValue.of(true), Quality.BAD),
            point(PointValue.of("RUNNING \u00e9\u6c34"), Quality.GOOD),
            named("Pr\u00fcfstand-\u00c4", "\u6a5f\u68b0-7", "", "\u00b0C"));
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (TelemetryPoint p : points) {
      writeDirect(p, out);
      SERIALIZER.serialize(p, out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (TelemetryPoint p : points) {
      assertThat(SERIALIZER.deserialize(in)).as("0xD2").isEqualTo(p);
      assertThat(SERIALIZER.deserialize(in)).as("0xD3").isEqualTo(p);
    }
    assertThat(in.available()).isZero();

    DataOutputSerializer old = new DataOutputSerializer(64);
    writeDirect(points.get(3), old);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    SERIALIZER.copy(new DataInputDeserializer(old.getCopyOfBuffer()), copied);
    assertThat(copied.getSharedBuffer()[0]).isEqualTo(TelemetryPointSerializer.COMPACT);
    assertThat(SERIALIZER.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())))
        .isEqualTo(points.get(3));
  }

  @Test
  void copiesCompactRecords() throws Exception {
    TelemetryPoint first = point(PointValue.of(3.25), Quality.GOOD);
    TelemetryPoint second = named("Pr\u00fcfstand-\u00c4", "m002", "state", "");
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(first, out);
    SERIALIZER.serialize(second, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    DataOutputSerializer copied = new DataOutputSerializer(64);
    SERIALIZER.copy(in, copied);
    SERIALIZER.copy(in, copied);
    assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    DataInputDeserializer back = new DataInputDeserializer(copied.getCopyOfBuffer());
    assertThat(SERIALIZER.deserialize(back)).isEqualTo(first);
    assertThat(SERIALIZER.deserialize(back)).isEqualTo(second);
  }

  @Test
  void returnsTheSameInstanceForRepeatedNames() throws Exception {
    TelemetryPoint a = point(PointValue.of(1.0), Quality.GOOD);
    TelemetryPoint b = point(PointValue.of(2.0), Quality.GOOD).withSeq(7);
    TelemetryPoint first = roundTrip(a);
    TelemetryPoint second = roundTrip(b);
    assertThat(second).isEqualTo(b);
    assertThat(second.site()).isSameAs(first.site());
    assertThat(second.area()).isSameAs(first.area());
    assertThat(second.line()).isSameAs(first.line());
    assertThat(second.device()).isSameAs(first.device());
    assertThat(second.tag()).isSameAs(first.tag());
    assertThat(second.unit()).isSameAs(first.unit());
    assertThat(second.collectorId()).isSameAs(first.collectorId());
    assertThat(second.source()).isSameAs(first.source());
    // Not the writer's instances: these came out of the cache.
    assertThat(first.device()).isNotSameAs(a.device());

    // Longer than the cache limit: equal, but decoded anew.
    String longDevice = "d".repeat(Utf8StringCache.MAX_CACHED_BYTES + 1);
    TelemetryPoint l1 = roundTrip(named("line-1", longDevice, "power_kw", "kW"));
    TelemetryPoint l2 = roundTrip(named("line-1", longDevice, "power_kw", "kW"));
    assertThat(l2.device()).isEqualTo(longDevice).isNotSameAs(l1.device());
  }

  @Test
  void namesThatShareACacheSetAllComeBackCorrect() throws Exception {
    // Three device names of the same set of the two-way cache: each read evicts one of the others.
    List<String> same = namesInOneSet(3);
    Utf8StringCache cache = new Utf8StringCache();
    byte[] b0 = same.get(0).getBytes(StandardCharsets.UTF_8);
    byte[] b1 = same.get(1).getBytes(StandardCharsets.UTF_8);
    String s0 = cache.get(b0, 0, b0.length);
    String s1 = cache.get(b1, 0, b1.length);
    assertThat(cache.get(b0, 0, b0.length)).as("two share a set").isSameAs(s0);
    assertThat(cache.get(b1, 0, b1.length)).isSameAs(s1);

    DataOutputSerializer out = new DataOutputSerializer(64);
    List<TelemetryPoint> written = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      TelemetryPoint p = named("line-1", same.get(i % 3), "power_kw", "kW").withSeq(i);
      written.add(p);
      SERIALIZER.serialize(p, out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (TelemetryPoint p : written) {
      assertThat(SERIALIZER.deserialize(in)).isEqualTo(p);
    }
  }

  @Test
  void threadsReadingAtTheSameTimeGetTheirOwnPoints() throws Exception {
    // The serializer is one instance for every task thread: per-thread buffers and caches must
    // never mix two threads' names. Many distinct names, so the cache's entries change all the
    // time on both threads.
    int threads = 2;
    int perThread = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  List<TelemetryPoint> points = new ArrayList<>();
                  DataOutputSerializer out = new DataOutputSerializer(1 << 16);
                  for (int i = 0; i < perThread; i++) {
                    TelemetryPoint p =
                        named(
                                "line-" + thread,
                                "t" + thread + "-m" + (i % 3_000),
                                "tag-" + thread + "-" + (i % 7),
                                thread == 0 ? "kW" : "\u00b0C")
                            .withSeq(i);
                    points.add(p);
                  }
                  start.await();
                  int wrong = 0;
                  for (TelemetryPoint p : points) {
                    out.clear();
                    SERIALIZER.serialize(p, out);
                    TelemetryPoint read =
                        SERIALIZER.deserialize(
                            new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
                    if (!read.equals(p)) {
                      wrong++;
                    }
                  }
                  return wrong;
                }));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).as("points read wrong").isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesATruncatedOrOverlongCompactRecord() throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(point(PointValue.of(1.0), Quality.GOOD), out);
    byte[] record = out.getCopyOfBuffer();
    // The body length says one byte less: the last field ends outside the body.
    byte[] shorter = record.clone();
    shorter[1]--;
    assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(shorter)))
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot read telemetry point: record ends inside a field");
    // One byte more: a byte is left after the last field.
    byte[] longer = Arrays.copyOf(record, record.length + 1);
    longer[1]++;
    assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(longer)))
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot read telemetry point: 1 bytes left after the record");
    // The stream ends inside the body.
    byte[] cut = Arrays.copyOf(record, record.length - 3);
    assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(cut)))
        .isInstanceOf(EOFException.class);
  }

  private static TelemetryPoint roundTrip(TelemetryPoint p) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(p, out);
    return SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  private static List<String> namesInOneSet(int count) {
    List<String> names = new ArrayList<>();
    int wanted = -1;
    for (int i = 0; names.size() < count; i++) {
      String name = "m" + i;
      byte[] b = name.getBytes(StandardCharsets.UTF_8);
      int set = Utf8StringCache.set(b, 0, b.length);
      if (wanted < 0) {
        wanted = set;
      }
      if (set == wanted) {
        names.add(name);
      }
    }
    return names;
  }

  /** Writes {@code p} as the third version did: 0xD2, then every field with its own call. */
  private static void writeDirect(TelemetryPoint p, DataOutputSerializer out) throws IOException {
    out.writeByte(TelemetryPointSerializer.DIRECT);
    for (String s : List.of(p.site(), p.area(), p.line(), p.device(), p.tag())) {
      writeUtf8(s, out);
    }
    out.writeLong(p.tsMicros());
    out.writeLong(p.ingestTsMicros());
    PointValue value = p.value();
    if (value instanceof PointValue.DoubleValue d) {
      out.writeByte(0);
      out.writeDouble(d.value());
    } else if (value instanceof PointValue.LongValue l) {
      out.writeByte(1);
      out.writeLong(l.value());
    } else if (value instanceof PointValue.BooleanValue b) {
      out.writeByte(2);
      out.writeBoolean(b.value());
    } else {
      out.writeByte(3);
      writeUtf8(value.asText(), out);
    }
    out.writeByte(p.quality().ordinal());
    out.writeLong(p.statusCode());
    for (String s : List.of(p.unit(), p.collectorId(), p.source())) {
      writeUtf8(s, out);
    }
    out.writeLong(p.seq());
  }

  private static void writeUtf8(String s, DataOutputSerializer out) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    int n = bytes.length;
    while ((n & ~0x7F) != 0) {
      out.writeByte((n & 0x7F) | 0x80);
      n >>>= 7;
    }
    out.writeByte(n);
    out.write(bytes);
  }

  private static TelemetryPoint named(String line, String device, String tag, String unit) {
    return new TelemetryPoint(
        "plant-b",
        "machining",
        line,
        device,
        tag,
        1_767_592_800_000_000L,
        1_767_592_800_020_000L,
        PointValue.of(21.5),
        Quality.GOOD,
        0L,
        unit,
        "edge-1",
        "opcua",
        42L);
  }

  private static TelemetryPoint point(PointValue value, Quality quality) {
    return new TelemetryPoint(
        "plant-b",
        "machining",
        "line-1",
        "m001",
        "power_kw",
        1_767_592_800_000_000L,
        1_767_592_800_020_000L,
        value,
        quality,
        0xFFFFFFFFL,
        "kW",
        "edge-1",
        "opcua",
        Long.MAX_VALUE);
  }
}
