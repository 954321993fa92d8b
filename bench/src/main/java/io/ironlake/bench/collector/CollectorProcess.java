package io.ironlake.bench.collector;

import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector in its own JVM, as a plant runs it: {@code java [jvmOpts] -jar
 * ironlake-collector.jar run --config FILE}, with a YAML file for the simulator's OPC UA items and
 * the benchmark's Kafka broker; or the latency reference ({@link ReferenceForwarder}) in a JVM
 * started the same way. Gives its CPU time (from {@code /proc}), its readiness (the HTTP endpoint)
 * and, after it stopped, its garbage collector's log.
 */
final class CollectorProcess implements AutoCloseable {
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
  private static final Pattern HEAP_AFTER_GC = Pattern.compile("->(\\d+)M\\(");
  private static final Pattern PAUSE_MS = Pattern.compile(" (\\d+(?:\\.\\d+)?)ms$");

  private final Process process;
  private final Path log;
  private final Path gcLog;
  private final int httpPort;

  private CollectorProcess(Process process, Path log, Path gcLog, int httpPort) {
    this.process = process;
    this.log = log;
    this.gcLog = gcLog;
    this.httpPort = httpPort;
  }

  /** Writes the config and starts the collector's JVM. */
  static CollectorProcess start(
      Path jar,
      List<String> jvmOpts,
      SimulatedFactory f,
      KafkaConfig kafka,
      Path dir,
      String collectorId)
      throws IOException {
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> yaml = new ArrayList<>();
    yaml.add("collector:");
    yaml.add("  id: " + collectorId);
    yaml.add("  state-dir: " + dir.resolve("state"));
    yaml.add("kafka:");
    yaml.add("  bootstrap-servers: " + kafka.bootstrapServers());
    yaml.add("  linger-ms: " + kafka.lingerMs());
    if (!kafka.properties().isEmpty()) {
      yaml.add("  properties:");
      kafka.properties().forEach((k, v) -> yaml.add("    " + k + ": \"" + v + "\""));
    }
    yaml.add("http:");
    yaml.add("  bind: 127.0.0.1");
    yaml.add("  port: " + port);
    yaml.add("sources:");
    yaml.add("  - name: opcua-bench");
    yaml.add("    type: opcua");
    yaml.add("    endpoint: " + f.opcUaEndpoint());
    yaml.add("    security-policy: None");
    yaml.add("    namespace-uri: " + f.plant().namespaceUri());
    yaml.add("    nodes:");
    for (SimMachine m : f.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        yaml.add("      - node-id: \"" + t.nodeId() + "\"");
        yaml.add("        site: " + m.site());
        yaml.add("        area: " + m.area());
        yaml.add("        line: " + m.line());
        yaml.add("        device: " + m.device());
        yaml.add("        tag: " + t.name());
        yaml.add("        unit: \"" + t.unit() + "\"");
      }
    }
    yaml.add("");
    Path config = dir.resolve("collector.yaml");
    Files.writeString(config, String.join("\n", yaml), StandardCharsets.UTF_8);
    return start(
        dir,
        jvmOpts,
        List.of(
            "-jar", jar.toString(), "run", "--config", config.toString(), "--stats-every-s", "0"),
        port);
  }

  /**
   * Starts the latency reference, {@link ReferenceForwarder}, in a JVM of its own with {@code
   * jvmOpts} and this JVM's class path, for the simulator's OPC UA items and {@code producer}'s
   * settings; ready once it printed {@value ReferenceForwarder#READY}.
   */
  static CollectorProcess startForwarder(
      List<String> jvmOpts, SimulatedFactory f, Properties producer, Path dir, String collectorId)
      throws IOException {
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve("producer.properties"))) {
      producer.store(w, null);
    }
    List<String> nodes = new ArrayList<>();
    for (SimMachine m : f.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        nodes.add(
            String.join(
                "\t", t.nodeId(), m.site(), m.area(), m.line(), m.device(), t.name(), t.unit()));
      }
    }
    Files.write(dir.resolve("nodes.tsv"), nodes, StandardCharsets.UTF_8);
    return start(
        dir,
        jvmOpts,
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ReferenceForwarder.class.getName(),
            dir.toString(),
            f.opcUaEndpoint(),
            collectorId),
        -1);
  }

  private static CollectorProcess start(
      Path dir, List<String> jvmOpts, List<String> command, int httpPort) throws IOException {
    Path log = dir.resolve("collector.log");
    Path gcLog = dir.resolve("gc.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOpts);
    cmd.add("-Xlog:gc:file=" + gcLog);
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return new CollectorProcess(pb.start(), log, gcLog, httpPort);
  }

  /**
   * Whether {@code /health/ready} answers 200 (every source READY); for the reference forwarder,
   * whether it printed that it subscribed.
   */
  boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException("Cannot run the collector: its JVM ended; log:\n" + log());
    }
    if (httpPort < 0) {
      return log().contains(ReferenceForwarder.READY);
    }
    try {
      HttpResponse<Void> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The sum of the samples of one metric on {@code /metrics} (e.g. {@code
   * ironlake_collector_points_read_total} over its sources).
   *
   * @throws IllegalStateException when the endpoint does not answer or lacks the metric
   */
  long metric(String name) {
    long v = metric(name, Long.MIN_VALUE);
    if (v == Long.MIN_VALUE) {
      throw new IllegalStateException("Cannot read the collector's metric " + name + ": not found");
    }
    return v;
  }

  /** Like {@link #metric(String)}, {@code absent} when the metric has no samples yet. */
  long metric(String name, long absent) {
    String body;
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      body = r.body();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the collector's metrics: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot read the collector's metrics: interrupted", e);
    }
    double sum = 0;
    boolean found = false;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        // name{labels} value [timestamp]
        int afterLabels = line.startsWith(name + "{") ? line.lastIndexOf('}') + 1 : name.length();
        sum += Double.parseDouble(line.substring(afterLabels).trim().split("\\s+")[0]);
        found = true;
      }
    }
    return found ? Math.round(sum) : absent;
  }

  /** CPU time of the collector's JVM so far (all its threads, GC and JIT included), nanoseconds. */
  long cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("Cannot read the collector's CPU time: " + e, e);
    }
  }

  /** The largest heap occupancy after a GC in the collector's GC log, MB (-1 if none logged). */
  long maxHeapAfterGcMb() {
    long max = -1;
    try {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = HEAP_AFTER_GC.matcher(line);
        if (m.find()) {
          max = Math.max(max, Long.parseLong(m.group(1)));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return max;
  }

  /** The GC pauses the log shows: how many, their sum and the longest, as one line of text. */
  String gcPauses() {
    long count = 0;
    double sum = 0;
    double max = 0;
    try {
      for (String line : Files.readAllLines(gcLog)) {
        if (line.contains("Pause")) {
          count++;
          Matcher m = PAUSE_MS.matcher(line);
          if (m.find()) {
            double ms = Double.parseDouble(m.group(1));
            sum += ms;
            max = Math.max(max, ms);
          }
        }
      }
    } catch (IOException e) {
      return "GC log unreadable: " + e;
    }
    return String.format("%d GC pauses, %.0f ms in all, longest %.1f ms", count, sum, max);
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** SIGTERM, then waits for the JVM to end (the collector drains and closes). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
