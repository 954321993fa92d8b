package io.ironlake.collector;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Mosquitto broker (the Debian package {@code mosquitto}) started as a process on a free
 * loopback port, for tests that need an MQTT broker that resends unacknowledged QoS 1 messages to a
 * reconnecting persistent session, as MQTT 3.1.1 requires. The embedded Moquette 0.17 does not:
 * messages in flight to a client that dies are dropped.
 */
final class MosquittoBroker implements AutoCloseable {
  private Process process;
  private final int port;
  private final Path dir;
  private final Path conf;

  private MosquittoBroker(Process process, int port, Path dir, Path conf) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.conf = conf;
  }

  /** The mosquitto executable, if installed. */
  static Optional<Path> executable() {
    Stream<Path> candidates =
        Stream.concat(
            Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(s -> !s.isEmpty())
                .map(Path::of),
            Stream.of(Path.of("/usr/sbin"), Path.of("/usr/local/sbin")));
    return candidates.map(d -> d.resolve("mosquitto")).filter(Files::isExecutable).findFirst();
  }

  /** Starts mosquitto with anonymous access on 127.0.0.1, unlimited queues, no persistence. */
  static MosquittoBroker start(Path dir) throws IOException {
    int port = Plants.freePort();
    return start(
        dir,
        port,
        List.of(
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            "max_queued_messages 0",
            "persistence false"));
  }

  /** Starts mosquitto with these config lines; {@code port} is the one {@link #url} names. */
  static MosquittoBroker start(Path dir, int port, List<String> confLines) throws IOException {
    Files.createDirectories(dir);
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, String.join("\n", confLines) + "\n");
    MosquittoBroker broker = new MosquittoBroker(launch(dir, conf), port, dir, conf);
    broker.awaitListening();
    return broker;
  }

  private static Process launch(Path dir, Path conf) throws IOException {
    Path exe = executable().orElseThrow(() -> new IllegalStateException("mosquitto not installed"));
    return new ProcessBuilder(exe.toString(), "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
        .start();
  }

  private void awaitListening() {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              new Socket("127.0.0.1", port).close();
              return true;
            });
  }

  /** Stops the broker (SIGTERM: it saves its persistence file) and starts it again, same port. */
  void restart() throws IOException, InterruptedException {
    close();
    process = launch(dir, conf);
    awaitListening();
  }

  int port() {
    return port;
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
