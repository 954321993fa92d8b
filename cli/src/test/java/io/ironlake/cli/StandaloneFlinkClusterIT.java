package io.ironlake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.RuleTopic;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The job jar is self-contained on a real standalone Flink cluster: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}) run as child
 * JVMs whose class path holds only what a Flink distribution's {@code lib/} holds (written by the
 * pom's {@code flink-cluster-classpath} execution: no Ironlake, Kafka, Iceberg, Hadoop, Jackson or
 * SQLite), with Flink's default child-first class loading. {@code ironlake jobs submit
 * ingest,energy} uploads the jar; the points on Kafka reach {@code ironlake.telemetry}, the energy
 * minute rows reach {@code ironlake.energy} and {@code energy.v1}, computed with the emission
 * factor of a rule catalog published on {@code rules.v1} (parsed from YAML on the cluster).
 */
@Tag("slow")
class StandaloneFlinkClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneFlinkClusterIT.class);
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final Pattern JOB_ID = Pattern.compile("as Flink job ([0-9a-f]{32})");
  private static final Instant T0 = Instant.parse("2025-03-05T08:00:00Z");
  private static final int READINGS = 37; // every 10 s, 08:00:00 to 08:06:00
  private static final String SITE = "plant-sa";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static final List<Process> cluster = new ArrayList<>();
  static URI rest;
  static long startedNanos;

  @BeforeAll
  static void start() throws Exception {
    startedNanos = System.nanoTime();
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    kafka.createTopic(Topics.TELEMETRY, 1);
    rest = startCluster(dir.resolve("flink"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : cluster) {
      p.destroy();
    }
    for (Process p : cluster) {
      if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (kafka != null) {
      kafka.close();
    }
    LOG.info("standalone cluster test done: seconds={}", (System.nanoTime() - startedNanos) / 1e9);
  }

  @Test
  void theJobJarRunsOnAClusterWithOnlyFlinkInLib() throws Exception {
    List<String> classPath = clusterClassPath();
    assertThat(classPath)
        .as("the cluster's class path: Flink only")
        .anyMatch(p -> p.contains("flink-runtime-2"))
        .noneMatch(p -> p.contains("/io/ironlake/"))
        .extracting(p -> Path.of(p).getFileName().toString())
        .noneMatch(
            jar ->
                jar.startsWith("kafka")
                    || jar.startsWith("flink-connector-kafka")
                    || jar.startsWith("flink-connector-base")
                    || jar.startsWith("iceberg")
                    || jar.startsWith("hadoop-")
                    || jar.startsWith("jackson-")
                    || jar.startsWith("sqlite")
                    || jar.startsWith("snakeyaml-2"));

    RuleTopic.publish(
        kafka.bootstrapServers(),
        LiveRules.TOPIC_DEFAULT,
        "standalone",
        """
        name: standalone
        rules:
          - match: {site: plant-sa}
            energy: {emissionFactorKgPerKwh: 0.25}
        """,
        Clock.systemUTC());
    produce();
    Path lake = dir.resolve("lake");
    Result r =
        execute(
            "jobs",
            "submit",
            "ingest,energy",
            "--flink",
            rest.toString(),
            "--kafka",
            kafka.bootstrapServers(),
            "--data-dir",
            lake.toString(),
            "--checkpoint-interval",
            "1s",
            "--checkpoint-dir",
            dir.resolve("checkpoints").toUri().toString(),
            "--parallelism",
            "1");
    assertThat(r.code).as(r.out + r.err + logs()).isZero();
    assertThat(r.out).contains("as Flink job").contains("(RUNNING)");
    Matcher m = JOB_ID.matcher(r.out);
    assertThat(m.find()).isTrue();

    try (LakehouseCatalog catalog = LakehouseCatalog.open(lake)) {
      TableStats stats = new TableStats(catalog.catalog());
      awaitOrExplain(
          "every point in ironlake.telemetry",
          () -> stats.totalRecords(IronlakeTables.TELEMETRY.identifier()) >= READINGS);
      assertThat(stats.totalRecords(IronlakeTables.TELEMETRY.identifier())).isEqualTo(READINGS);
      // Minutes 08:00 to 08:04 close (the watermark trails 08:06:00 by 5 s): 6 readings each.
      awaitOrExplain(
          "five minute rows in ironlake.energy",
          () -> stats.totalRecords(IronlakeTables.ENERGY.identifier()) >= 5);
      List<Record> energy = rows(catalog.load(IronlakeTables.ENERGY.identifier()));
      assertThat(energy).hasSize(5);
      for (Record row : energy) {
        double kwh = (Double) row.getField("energy_kwh");
        assertThat(kwh).as("kWh of %s", row).isPositive();
        assertThat((Double) row.getField("co2e_kg"))
            .as("CO2e of %s with the published 0.25 kg/kWh", row)
            .isCloseTo(0.25 * kwh, org.assertj.core.data.Offset.offset(1e-9));
      }
    }
    List<String> keys = new ArrayList<>();
    await("the energy rows on energy.v1 (read_committed)")
        .atMost(DEADLINE)
        .until(
            () -> {
              keys.clear();
              keys.addAll(committedKeys(Topics.ENERGY));
              return keys.size() >= 5;
            });
    assertThat(keys).hasSize(5).containsOnly(SITE + "/assembly/line-1/m01");
    LOG.info(
        "standalone cluster test asserted: seconds={}", (System.nanoTime() - startedNanos) / 1e9);
  }

  /** Starts a JobManager and a TaskManager process; returns the REST address once a slot is up. */
  private static URI startCluster(Path home) throws Exception {
    Path conf = Files.createDirectories(home.resolve("conf"));
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    int rpcPort = freePort();
    int restPort = freePort();
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + rpcPort,
            "jobmanager.bind-host: 127.0.0.1",
            "jobmanager.memory.process.size: 1024m",
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "taskmanager.numberOfTaskSlots: 2",
            "taskmanager.memory.process.size: 1536m",
            "taskmanager.memory.managed.size: 64m",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + restPort,
            "web.submit.enable: true",
            "web.upload.dir: " + tmp,
            "io.tmp.dirs: " + tmp,
            "classloader.resolve-order: child-first",
            "parallelism.default: 1",
            ""));
    Files.writeString(
        conf.resolve("log4j2.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.console.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
            ""));
    cluster.add(
        launch(
            home,
            "jobmanager",
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            conf,
            List.of("-Xmx768m"),
            List.of()));
    // What Flink's taskmanager.sh does (BashJavaUtils): derive the memory and CPU settings from
    // the config and pass them as JVM options and -D dynamic properties.
    TaskExecutorProcessSpec spec =
        TaskExecutorProcessUtils.processSpecFromConfig(
            GlobalConfiguration.loadConfiguration(conf.toString()));
    cluster.add(
        launch(
            home,
            "taskmanager",
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
            conf,
            words(ProcessMemoryUtils.generateJvmParametersStr(spec)),
            words(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec))));
    URI uri = URI.create("http://127.0.0.1:" + restPort + "/");
    HttpClient http = HttpClient.newHttpClient();
    awaitOrExplain(
        "the standalone cluster has a TaskManager",
        () -> {
          for (Process p : cluster) {
            if (!p.isAlive()) {
              throw new AssertionError("a Flink process exited: " + p.exitValue() + logs());
            }
          }
          try {
            HttpResponse<String> overview =
                http.send(
                    HttpRequest.newBuilder(uri.resolve("overview")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return overview.statusCode() == 200
                && overview.body().matches(".*\"slots-total\":[1-9].*");
          } catch (IOException e) {
            return false;
          }
        });
    LOG.info(
        "standalone cluster up: rest={}, seconds={}",
        uri,
        (System.nanoTime() - startedNanos) / 1e9);
    return uri;
  }

  private static Process launch(
      Path home,
      String name,
      String mainClass,
      Path conf,
      List<String> jvmOptions,
      List<String> programArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(Arrays.asList(System.getProperty("ironlake.jvm.opens", "").split("\\s+")));
    command.removeIf(String::isBlank);
    command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j2.properties").toUri());
    command.add("-Dlog.file=" + home.resolve(name + ".log"));
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, clusterClassPath()));
    command.add(mainClass);
    command.add("--configDir");
    command.add(conf.toString());
    command.addAll(programArgs);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("FLINK_CONF_DIR", conf.toString());
    pb.environment().put("FLINK_PLUGINS_DIR", home.resolve("plugins").toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(home.resolve(name + ".out").toFile());
    LOG.info("starting flink process: name={}, main={}", name, mainClass);
    return pb.start();
  }

  /** The cluster's class path: the jars the pom's flink-cluster-classpath execution resolved. */
  private static List<String> clusterClassPath() {
    String file = System.getProperty("ironlake.flink.classpath");
    assertThat(file)
        .as("system property ironlake.flink.classpath (set by the cli pom)")
        .isNotNull();
    try {
      return Arrays.stream(Files.readString(Path.of(file)).trim().split(java.io.File.pathSeparator))
          .filter(s -> !s.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of both processes' output, to explain a failure. */
  private static String logs() {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("jobmanager", "taskmanager")) {
      Path out = dir.resolve("flink").resolve(name + ".out");
      try {
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        b.append("\n--- ").append(name).append(" (").append(lines.size()).append(" lines) ---\n");
        lines.stream()
            .filter(l -> l.contains("ERROR") || l.contains("Exception") || l.contains("Caused by"))
            .limit(40)
            .forEach(l -> b.append(l).append('\n'));
        lines.stream().skip(Math.max(0, lines.size() - 20)).forEach(l -> b.append(l).append('\n'));
      } catch (IOException e) {
        b.append("\n(no output of ").append(name).append(": ").append(e).append(")");
      }
    }
    return b.toString();
  }

  private static void awaitOrExplain(
      String what, java.util.concurrent.Callable<Boolean> condition) {
    try {
      await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(condition);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(what + " within " + DEADLINE + logs(), e);
    }
  }

  private static List<Record> rows(Table table) throws IOException {
    table.refresh();
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> rows.add(r.copy()));
    }
    return rows;
  }

  private static List<String> committedKeys(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      List<String> keys = new ArrayList<>();
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          keys.add(new String(r.key(), StandardCharsets.UTF_8));
        }
      }
      return keys;
    }
  }

  /** A meter on one machine, 0.5 kWh more every 10 s. */
  private static void produce() {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < READINGS; i++) {
        long ts = (T0.getEpochSecond() + i * 10L) * 1_000_000L;
        TelemetryPoint p =
            new TelemetryPoint(
                SITE,
                "assembly",
                "line-1",
                "m01",
                "energy_kwh",
                ts,
                ts,
                PointValue.of(1000.0 + 0.5 * i),
                Quality.GOOD,
                0,
                "kWh",
                "edge-sa",
                "opcua",
                i + 1L);
        producer.send(
            new ProducerRecord<>(Topics.TELEMETRY, p.devicePath(), TelemetryCodec.encode(p)));
      }
      producer.flush();
    }
  }

  private static List<String> words(String s) {
    return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isBlank()).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = IronlakeMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new Result(cl.execute(args), out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
