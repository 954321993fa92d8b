package io.ironlake.jobs;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * A bounded test stream in two parts: {@code before}, then {@code after} once the test has opened
 * the gate. A point is late for an operator only against the operator's watermark, the minimum over
 * its inputs, and the rules input of a job reports its own at a moment of its own: a test that
 * wants a point judged late sends it after it saw a result of the operator that proves the
 * watermark passed (a window closed, an alarm cleared), which a single list cannot.
 *
 * <pre>{@code
 * GatedPoints gate = GatedPoints.of(before, after);
 * ... jobUnderTest(gate.stream(env, 3_000)) ...
 * JobClient job = env.executeAsync();
 * List<AlarmEvent> seen = GatedPoints.readUntil(alarms, e -> e.state() == CLEARED);
 * gate.open();
 * }</pre>
 *
 * <p>The stream waits for the gate at most {@link #DEADLINE}; then the job fails, so a test that
 * never sees its proof fails instead of hanging. The stream runs in the MiniCluster of the test's
 * own JVM: the parts are handed over in a static map, not serialized with the job.
 */
public final class GatedPoints {
  /** How long the stream waits for {@link #open()}. */
  public static final Duration DEADLINE = Duration.ofSeconds(60);

  private static final Map<String, GatedPoints> OPEN = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final List<TelemetryPoint> before;
  private final List<TelemetryPoint> after;
  private final CountDownLatch gate = new CountDownLatch(1);

  private GatedPoints(List<TelemetryPoint> before, List<TelemetryPoint> after) {
    this.before = List.copyOf(before);
    this.after = List.copyOf(after);
  }

  /** {@code before} at once, {@code after} when {@link #open()} is called. */
  public static GatedPoints of(List<TelemetryPoint> before, List<TelemetryPoint> after) {
    GatedPoints points = new GatedPoints(before, after);
    OPEN.put(points.id, points);
    return points;
  }

  /**
   * The points with a watermark after each that trails the newest timestamp by {@code boundMillis},
   * as {@link TestPoints#stream}.
   */
  public DataStream<TelemetryPoint> stream(StreamExecutionEnvironment env, long boundMillis) {
    DataStream<TelemetryPoint> points =
        env.fromData(List.of(id), Types.STRING)
            .setParallelism(1)
            .flatMap(new Emit(), TelemetryPointTypeInfo.INSTANCE)
            .name("gated-points")
            .setParallelism(1);
    return TestPoints.withWatermarks(points, boundMillis);
  }

  /** Lets the stream send {@code after} and end. */
  public void open() {
    gate.countDown();
  }

  /**
   * The elements of {@code it} up to and including the first that matches {@code proof}, read while
   * the job runs. Fails when the job ends first (the stream gave up waiting, or failed).
   */
  public static <T> List<T> readUntil(CloseableIterator<T> it, Predicate<T> proof) {
    List<T> seen = new ArrayList<>();
    while (it.hasNext()) {
      T next = it.next();
      seen.add(next);
      if (proof.test(next)) {
        return seen;
      }
    }
    throw new AssertionError("the job ended before the expected result; saw " + seen);
  }

  /** Every remaining element of {@code it}, read until the job ends; then closes it. */
  public static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
    List<T> out = new ArrayList<>();
    try (it) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static final class Emit implements FlatMapFunction<String, TelemetryPoint> {
    @Override
    public void flatMap(String id, Collector<TelemetryPoint> out) throws Exception {
      GatedPoints points = OPEN.remove(id);
      if (points == null) {
        throw new IllegalStateException("no gated points " + id + " in this JVM");
      }
      points.before.forEach(out::collect);
      if (!points.gate.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the test did not open the gate within " + DEADLINE);
      }
      points.after.forEach(out::collect);
    }
  }
}
