package io.ironlake.bench.jobs;

import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.ingest.TelemetrySource;
import io.ironlake.jobs.internal.TelemetryDeserializationSchema;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One timed phase: a bounded Flink job on a local MiniCluster that reads the whole telemetry topic
 * from the beginning through the jobs' own deserialization and watermarks, then runs a {@link
 * Variant}. The clock starts when the first point leaves the source (cluster start-up and job
 * scheduling are not counted) and stops when the job has finished; so does the process CPU time
 * (all threads of this JVM, the embedded Kafka broker serving the reads included).
 */
final class FlinkPhase {
  /** When the first point of the running phase left the source ({@link System#nanoTime}). */
  private static final AtomicLong FIRST_POINT_NANOS = new AtomicLong();

  /** The process CPU time ({@link #processCpuNanos}) when the first point left the source. */
  private static final AtomicLong FIRST_POINT_CPU_NANOS = new AtomicLong();

  /** How many points of the running phase left the source. */
  private static final AtomicLong POINTS = new AtomicLong();

  private FlinkPhase() {}

  /** The measurement of one phase. */
  record Result(Variant variant, long points, double seconds, double cpuSeconds) {
    double pointsPerSecond() {
      return points / seconds;
    }

    double cpuSecondsPerMillion() {
      return cpuSeconds * 1e6 / points;
    }
  }

  /**
   * Runs one phase over the whole topic.
   *
   * @throws IllegalStateException when the job did not read exactly {@code points} points
   */
  static Result run(Variant variant, JobsConfig config, long points, int round) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, "0");
    // As the jobs run: checkpoints on files (the dedup state outgrows the JobManager's 5 MB).
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        config.dataDir().resolve("flink").resolve("bench-checkpoints").toUri().toString());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
    env.enableCheckpointing(config.checkpointInterval().toMillis());
    KafkaSource<TelemetryPoint> source =
        KafkaSource.<TelemetryPoint>builder()
            .setBootstrapServers(config.kafkaBootstrapServers())
            .setTopics(Topics.TELEMETRY)
            .setGroupId("bench-" + variant.name().toLowerCase() + "-" + round)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(new TelemetryDeserializationSchema())
            .build();
    DataStream<TelemetryPoint> input =
        env.fromSource(
                source,
                TelemetrySource.watermarks(config),
                Topics.TELEMETRY,
                TelemetryPointTypeInfo.INSTANCE)
            .map(new FirstPointClock())
            .returns(TelemetryPointTypeInfo.INSTANCE)
            .name("first-point-clock");
    variant.addTo(input, config);
    FIRST_POINT_NANOS.set(0);
    FIRST_POINT_CPU_NANOS.set(0);
    POINTS.set(0);
    env.execute("bench-" + variant.name().toLowerCase());
    long end = System.nanoTime();
    long cpu = processCpuNanos() - FIRST_POINT_CPU_NANOS.get();
    long first = FIRST_POINT_NANOS.get();
    if (first == 0) {
      throw new IllegalStateException("Cannot time " + variant + ": no point left the source");
    }
    if (POINTS.get() != points) {
      throw new IllegalStateException(
          "Cannot time " + variant + ": read " + POINTS.get() + " points, expected " + points);
    }
    return new Result(variant, points, (end - first) / 1e9, cpu / 1e9);
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Notes when the first point passes and counts them; a pass-through map chained to the source.
   */
  private static final class FirstPointClock
      implements MapFunction<TelemetryPoint, TelemetryPoint> {
    private transient boolean seen;

    @Override
    public TelemetryPoint map(TelemetryPoint p) {
      POINTS.incrementAndGet();
      if (!seen) {
        seen = true;
        if (FIRST_POINT_NANOS.compareAndSet(0, System.nanoTime())) {
          FIRST_POINT_CPU_NANOS.set(processCpuNanos());
        }
      }
      return p;
    }
  }
}
