package io.ironlake.bench.collector;

import io.ironlake.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's Kafka broker in a JVM of its own, as a plant's Kafka runs: the same {@link
 * EmbeddedKafka} and topics as {@link BenchKafka}'s in-process broker, started by {@link #main} in
 * a child JVM with this JVM's class path. The child writes its address to {@code dir/bootstrap}
 * once it serves clients, and stops cleanly when its standard input closes. Its output goes to
 * {@code dir/broker.log}.
 */
final class BrokerProcess implements AutoCloseable {
  /** The heap and garbage collector options that Kafka's {@code kafka-server-start.sh} uses. */
  static final String DEFAULT_JVM_OPTS =
      "-Xmx1g -Xms1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final String BOOTSTRAP_FILE = "bootstrap";

  private final Process process;
  private final Path log;
  private final String bootstrapServers;

  private BrokerProcess(Process process, Path log, String bootstrapServers) {
    this.process = process;
    this.log = log;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts the broker's JVM over {@code dir} (its data stays there between starts) with its client
   * listener on {@code port} (0 = a free one), creates the benchmark's topics with {@code
   * partitions} partitions, and waits until it serves clients.
   */
  static BrokerProcess start(Path dir, int port, int partitions, String jvmOpts)
      throws IOException {
    Files.createDirectories(dir);
    Path bootstrap = dir.resolve(BOOTSTRAP_FILE);
    Files.deleteIfExists(bootstrap);
    Path log = dir.resolve("broker.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmOpts.trim().split("\\s+")));
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BrokerProcess.class.getName(),
            dir.toString(),
            Integer.toString(port),
            Integer.toString(partitions)));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      // The child moves the file into place whole, so once it exists it holds the address.
      ProcessClock.await(
          () -> {
            if (!p.isAlive()) {
              throw new IllegalStateException(
                  "Cannot start the benchmark's Kafka broker JVM: it ended with "
                      + p.exitValue()
                      + "; see "
                      + log);
            }
            return Files.exists(bootstrap);
          },
          START_TIMEOUT,
          "Kafka broker JVM serving clients (log " + log + ")");
      return new BrokerProcess(p, log, Files.readString(bootstrap, StandardCharsets.UTF_8).trim());
    } catch (IOException | RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** The address clients connect to, {@code "127.0.0.1:PORT"}. */
  String bootstrapServers() {
    return bootstrapServers;
  }

  /** CPU time of the broker's JVM so far (all its threads), nanoseconds. */
  long cpuNanos() {
    return process
        .info()
        .totalCpuDuration()
        .map(Duration::toNanos)
        .orElseThrow(
            () ->
                new IllegalStateException("Cannot read the Kafka broker JVM's CPU time: " + this));
  }

  /** Closes the child's standard input (it stops the broker and ends), then waits for it. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "BrokerProcess[" + bootstrapServers + ", pid " + process.pid() + ", log " + log + "]";
  }

  /**
   * The child: {@code BrokerProcess DIR PORT PARTITIONS}. Starts the broker, creates the topics,
   * writes its address to {@code DIR/bootstrap}, and stops the broker when standard input ends.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: BrokerProcess DIR PORT PARTITIONS");
    }
    Path dir = Path.of(args[0]);
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, Integer.parseInt(args[1]));
    try {
      BenchKafka.createTopics(kafka, Integer.parseInt(args[2]));
      Path tmp = dir.resolve(BOOTSTRAP_FILE + ".tmp");
      Files.writeString(tmp, kafka.bootstrapServers(), StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(BOOTSTRAP_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      InputStream in = System.in;
      byte[] buf = new byte[256];
      while (in.read(buf) >= 0) {
        // runs until the parent closes our standard input (or ends)
      }
    } finally {
      kafka.close();
    }
    System.exit(0);
  }
}
