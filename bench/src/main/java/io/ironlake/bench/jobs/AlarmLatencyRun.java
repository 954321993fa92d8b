package io.ironlake.bench.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import io.ironlake.jobs.safety.LimitAlarmParams;
import io.ironlake.jobs.safety.RateOfChangeParams;
import io.ironlake.jobs.safety.TagSafetyParams;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Latency of limit and rate-of-change alarms through the safety job, from a point appended to
 * {@code telemetry.v1} to its alarm appended to {@code alarms.v1}, under an open-loop load at a
 * share of the ceiling measured in the same run: {@code bench/run
 * io.ironlake.bench.jobs.AlarmLatencyRun [seconds] [share] [ceiling points]}.
 *
 * <p>First the tag-alarm phase of {@link IndicatorThroughputRun} runs twice over a prefilled topic
 * (the job's ceiling A: the faster of the two); the prefill itself gives the generator's rate B,
 * and since generator, broker and job share the cores the ceiling is C = 1/(1/A + 1/B). Then the
 * real safety job ({@link IronlakeJobs#SAFETY}: dedup, tag alarms, lifecycle, Iceberg tables, Kafka
 * sink) starts at the topic's end and a generator sends points stamped with the wall clock at
 * {@code share} x C, on schedule whatever the job does (open loop). Each alarm's latency is its
 * broker append time on {@code alarms.v1} minus the time of the point that raised or cleared it;
 * the first 10 s are warm-up.
 */
public final class AlarmLatencyRun {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final Set<String> TAG_ALARM_TYPES = Set.of("HH", "H", "L", "LL", "ROC");

  /** {@code -Dironlake.bench.checkpointSeconds=N} replaces the job's checkpoint interval. */
  private static final java.util.Optional<Duration> CHECKPOINT_INTERVAL =
      java.util.Optional.ofNullable(System.getProperty("ironlake.bench.checkpointSeconds"))
          .map(s -> Duration.ofSeconds(Long.parseLong(s)));

  private AlarmLatencyRun() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("log4j2.configurationFile") == null) {
      // -Dlog4j2.configurationFile=ironlake-bench-diag-log4j2.xml adds Flink's checkpoint log.
      System.setProperty("log4j2.configurationFile", "ironlake-bench-log4j2.xml");
    }
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    double share = args.length > 1 ? Double.parseDouble(args[1]) : 0.7;
    long prefill = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
    System.out.printf(
        "alarm latency run: %d s at %.0f%% of the ceiling, %,d points prefilled; %d cores, load"
            + " average %.1f%n",
        seconds,
        share * 100,
        prefill,
        Runtime.getRuntime().availableProcessors(),
        Scratch.loadAverage());
    Result r = run(seconds, share, prefill, WARM_UP, System.out);
    System.out.println(r.summary());
    System.out.printf("load average at the end %.1f%n", Scratch.loadAverage());
  }

  /**
   * What one run measured.
   *
   * @param ceiling points/s of the tag-alarm phase over the prefilled topic (the faster of two)
   * @param producerRate points/s of the generator's producer filling the topic, closed loop
   * @param composed 1 / (1/ceiling + 1/producerRate): what generator, broker and job sustain
   *     together on the shared cores; the offered rate is a share of this
   * @param offered points/s the generator was scheduled to send
   * @param generated points sent
   * @param events events read from alarms.v1
   * @param fromSchedule latency of each limit or rate-of-change event after the warm-up, ms: its
   *     append time on alarms.v1 minus the scheduled time of the point that caused it
   * @param fromKafka the same minus the broker append time of that point on telemetry.v1
   */
  record Result(
      double ceiling,
      double producerRate,
      double composed,
      double offered,
      long generated,
      long events,
      List<Long> fromSchedule,
      List<Long> fromKafka) {
    String summary() {
      return String.format(
          "ceiling (tag alarms, bounded, discarding sink) A %,.0f points/s; producer B %,.0f"
              + " points/s; composed C %,.0f points/s; offered %,.0f points/s (%.0f%% of C),"
              + " %,d points sent%n"
              + "alarms.v1: %,d events; limit and rate-of-change events after warm-up: %,d%n"
              + "telemetry.v1 append -> alarms.v1 append, ms: %s; target p99 <= 100 ms: %s%n"
              + "scheduled point time -> alarms.v1 append, ms: %s",
          ceiling,
          producerRate,
          composed,
          offered,
          offered / composed * 100,
          generated,
          events,
          fromSchedule.size(),
          Scratch.percentiles(fromKafka),
          fromKafka.isEmpty()
              ? "nothing measured"
              : Scratch.pct(fromKafka, 0.99) <= 100 ? "met" : "NOT met",
          Scratch.percentiles(fromSchedule));
    }
  }

  /**
   * Measures the ceiling, then runs the safety job for {@code seconds} under an open-loop load at
   * {@code share} of it; events of the first {@code warmUp} are not counted.
   */
  static Result run(int seconds, double share, long prefill, Duration warmUp, PrintStream out)
      throws Exception {
    int parallelism = 2;
    Path dir = Files.createTempDirectory("ironlake-bench-latency");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      kafka.createTopic(Topics.TELEMETRY, parallelism);
      IndicatorInput input = new IndicatorInput(5, 20, System.currentTimeMillis() * 1_000);
      long fillStart = System.nanoTime();
      long sent = input.produce(kafka.bootstrapServers(), prefill);
      // B: the generator's own rate into the broker (producer, encoding, appends), closed loop.
      double producerRate = sent / ((System.nanoTime() - fillStart) / 1e9);
      out.printf("producer into the broker (prefill): %,.0f points/s%n", producerRate);
      JobsConfig base =
          JobsConfig.builder()
              .kafkaBootstrapServers(kafka.bootstrapServers())
              .dataDir(dir.resolve("data"))
              .parallelism(parallelism)
              .build();
      double ceiling = 0;
      for (int r = 0; r < 2; r++) {
        FlinkPhase.Result res = FlinkPhase.run(Variant.TAG_ALARMS, base, sent, r);
        out.printf("ceiling run %d: %,.0f points/s%n", r + 1, res.pointsPerSecond());
        ceiling = Math.max(ceiling, res.pointsPerSecond());
      }
      // Generator, broker and job share the cores: the rate they sustain together is the
      // composed ceiling C = 1 / (1/A + 1/B), A the job's, B the generator's.
      double composed = 1 / (1 / ceiling + 1 / producerRate);
      out.printf(
          "composed ceiling 1/(1/%,.0f + 1/%,.0f) = %,.0f points/s%n",
          ceiling, producerRate, composed);
      double rate = share * composed;
      createAlarmsTopic(kafka.bootstrapServers());
      appendTimeOn(kafka.bootstrapServers(), Topics.TELEMETRY);
      JobsConfig config =
          base.toBuilder()
              .startingOffsets(JobsConfig.StartingOffsets.LATEST)
              .groupId("latency")
              .maxOutOfOrderness(Duration.ZERO)
              .idleTimeout(Duration.ofSeconds(1))
              .ruleCatalog(rules(rate / IndicatorInput.TAGS.size() / input.devices()))
              .checkpointInterval(CHECKPOINT_INTERVAL.orElse(base.checkpointInterval()))
              .build();
      out.printf("safety job checkpoint interval %s%n", config.checkpointInterval());
      JobClient job = startSafetyJob(config, dir);
      long cpuStart = Scratch.processCpuNanos();
      long wallStart = System.nanoTime();
      AlarmReader reader = new AlarmReader(kafka.bootstrapServers(), config.alarmsTopic());
      reader.start();
      Map<String, Long> appended = new ConcurrentHashMap<>();
      long startMicros = System.currentTimeMillis() * 1_000;
      long warmUpEndMicros = startMicros + warmUp.toNanos() / 1_000;
      long generated =
          generate(kafka.bootstrapServers(), input, rate, seconds, startMicros, appended);
      out.printf(
          "CPU of this JVM while generating (generator, broker, job): %.0f%% of %d cores%n",
          100.0
              * (Scratch.processCpuNanos() - cpuStart)
              / (System.nanoTime() - wallStart)
              / Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().availableProcessors());
      reader.awaitQuiet(Duration.ofSeconds(10));
      reader.stop();
      job.cancel().get();
      List<Long> fromSchedule = new ArrayList<>();
      List<Long> fromKafka = new ArrayList<>();
      Timeline timeline = Timeline.fromProperty(startMicros / 1_000);
      for (Alarm a : reader.alarms) {
        if (a.tsMicros() >= warmUpEndMicros) {
          fromSchedule.add(a.appendMillis() - a.tsMicros() / 1_000);
          Long in = appended.get(a.devicePath() + '@' + a.tsMicros());
          if (in == null) {
            throw new IllegalStateException(
                "Cannot match alarm to its point: no point of "
                    + a.devicePath()
                    + " at "
                    + a.tsMicros()
                    + " was acknowledged on telemetry.v1");
          }
          fromKafka.add(a.appendMillis() - in);
          timeline.add(a, in);
        }
      }
      timeline.write(out);
      fromSchedule.sort(Long::compare);
      fromKafka.sort(Long::compare);
      return new Result(
          ceiling,
          producerRate,
          composed,
          rate,
          generated,
          reader.records.get(),
          fromSchedule,
          fromKafka);
    } finally {
      Scratch.deleteTree(dir);
    }
  }

  /**
   * Starts the safety job ({@link IronlakeJobs#SAFETY}) on a local MiniCluster as it ships (its own
   * watermark interval and buffer timeout) with checkpoints on files under {@code dir}; returns
   * when it is RUNNING.
   */
  static JobClient startSafetyJob(JobsConfig config, Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        dir.resolve("flink-checkpoints").toUri().toString());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
    env.enableCheckpointing(config.checkpointInterval().toMillis());
    // Diagnosis: lower settings than the job's own (the job only ever lowers them further).
    Long bufferMs = Long.getLong("ironlake.bench.bufferTimeoutMs");
    if (bufferMs != null) {
      env.setBufferTimeout(bufferMs);
    }
    Long watermarkMs = Long.getLong("ironlake.bench.watermarkIntervalMs");
    if (watermarkMs != null) {
      env.getConfig().setAutoWatermarkInterval(watermarkMs);
    }
    if (Boolean.getBoolean("ironlake.bench.unaligned")) {
      env.getCheckpointConfig().enableUnalignedCheckpoints();
    }
    IronlakeJobs.addJobs(env, config, Set.of(IronlakeJobs.SAFETY));
    JobClient job = env.executeAsync("bench-alarm-latency");
    waitRunning(job);
    return job;
  }

  /**
   * Temperature limits and rate of change without on-delay, so an alarm follows its point. With
   * {@code ticksPerSecond} samples per device and second, the input's noise (up to 5 °C between
   * samples) stays below the rate-of-change limit and its excursions (+20 °C) go above it.
   */
  static RuleCatalog rules(double ticksPerSecond) {
    TagSafetyParams temperature =
        new TagSafetyParams(
            LimitAlarmParams.builder().highHigh(55).high(45).low(10).lowLow(5).deadband(1).build(),
            new RateOfChangeParams(12 * ticksPerSecond, ticksPerSecond, Duration.ZERO),
            null);
    return StaticRuleCatalog.builder().safety("temperature_c", temperature).build();
  }

  /**
   * Sends points at {@code rate} per second for {@code seconds}, open loop: tick {@code k} of a
   * device is due at a fixed time from the start and stamped with that time (not with when it was
   * sent), so a generator or broker that falls behind shows as latency instead of hiding it
   * (coordinated omission). Notes each temperature point's broker append time in {@code appended}.
   */
  private static long generate(
      String servers,
      IndicatorInput input,
      double rate,
      int seconds,
      long startMicros,
      Map<String, Long> appended)
      throws Exception {
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    int perTick = IndicatorInput.TAGS.size();
    int temperature = IndicatorInput.TAGS.indexOf("temperature_c");
    long sent = 0;
    long tick = 0;
    int device = 0;
    try (KafkaProducer<byte[], byte[]> producer = IndicatorInput.producer(servers)) {
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        long due = (long) ((now - start) / 1e9 * rate);
        while (sent < due) {
          long tsMicros = startMicros + (long) (sent / rate * 1e6);
          TelemetryPoint[] points = input.tick(device, tick);
          for (int i = 0; i < points.length; i++) {
            TelemetryPoint p = at(points[i], tsMicros);
            if (i == temperature) {
              String key = p.devicePath() + '@' + tsMicros;
              producer.send(
                  IndicatorInput.record(p),
                  (md, e) -> {
                    if (e == null) {
                      appended.put(key, md.timestamp());
                    }
                  });
            } else {
              producer.send(IndicatorInput.record(p));
            }
          }
          sent += perTick;
          if (++device == input.devices()) {
            device = 0;
            tick++;
          }
        }
        LockSupport.parkNanos(200_000);
      }
      producer.flush();
    }
    return sent;
  }

  private static TelemetryPoint at(TelemetryPoint p, long tsMicros) {
    return new TelemetryPoint(
        p.site(),
        p.area(),
        p.line(),
        p.device(),
        p.tag(),
        tsMicros,
        tsMicros,
        p.value(),
        p.quality(),
        p.statusCode(),
        p.unit(),
        p.collectorId(),
        p.source(),
        p.seq());
  }

  static void waitRunning(JobClient job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (job.getJobStatus().get() != JobStatus.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Cannot measure: the safety job is not RUNNING after 2 min");
      }
      LockSupport.parkNanos(50_000_000);
    }
  }

  static void createAlarmsTopic(String servers) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("alarms.v1", 1, (short) 1)
                      .configs(Map.of("message.timestamp.type", "LogAppendTime"))))
          .all()
          .get();
    }
  }

  /** A limit or rate-of-change event read: its device, its point's time, its append time. */
  record Alarm(String devicePath, long tsMicros, long appendMillis) {}

  /** Sets {@code message.timestamp.type=LogAppendTime} on {@code topic}. */
  static void appendTimeOn(String servers, String topic) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    try (Admin admin = Admin.create(p)) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      admin
          .incrementalAlterConfigs(
              Map.of(
                  resource,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
  }

  /**
   * Reads alarms.v1 in a thread: for each limit or rate-of-change alarm, point time and latency.
   */
  static final class AlarmReader {
    final ConcurrentLinkedQueue<Alarm> alarms = new ConcurrentLinkedQueue<>();
    final java.util.concurrent.atomic.AtomicLong records =
        new java.util.concurrent.atomic.AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long lastRecordNanos = System.nanoTime();

    AlarmReader(String servers, String topic) {
      thread =
          new Thread(
              () -> {
                try (KafkaConsumer<byte[], byte[]> c = consumer(servers)) {
                  c.subscribe(List.of(topic));
                  while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                      lastRecordNanos = System.nanoTime();
                      records.incrementAndGet();
                      take(r);
                    }
                  }
                }
              },
              "alarm-reader");
    }

    void start() {
      thread.start();
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
      if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
        throw new IllegalStateException("Cannot measure latency: alarms.v1 lacks LogAppendTime");
      }
      try {
        JsonNode n = JSON.readTree(r.value());
        String type = n.path("type").asText();
        String state = n.path("state").asText();
        boolean tagAlarm = TAG_ALARM_TYPES.contains(type);
        if (tagAlarm && (state.equals("RAISED") || state.equals("CLEARED"))) {
          String path =
              n.path("site").asText()
                  + '/'
                  + n.path("area").asText()
                  + '/'
                  + n.path("line").asText()
                  + '/'
                  + n.path("device").asText();
          alarms.add(new Alarm(path, n.path("tsMicros").asLong(), r.timestamp()));
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("Cannot read an alarm: " + e.getMessage(), e);
      }
    }

    /** Waits until no alarm arrived for {@code quiet}, at most two minutes. */
    void awaitQuiet(Duration quiet) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() - lastRecordNanos < quiet.toNanos()
          && System.nanoTime() < deadline) {
        LockSupport.parkNanos(100_000_000);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String servers) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      return new KafkaConsumer<>(p);
    }
  }
}
