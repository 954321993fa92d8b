package io.ironlake.collector;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  private final Process process;
  private final int port;

  private MosquittoBroker(Process process, int port) {
    this.process = process;
    this.port = port;
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
    Path exe = executable().orElseThrow(() -> new IllegalStateException("mosquitto not installed"));
    Files.createDirectories(dir);
    int port = Plants.freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            "max_queued_messages 0",
            "persistence false",
            ""));
    Process p =
        new ProcessBuilder(exe.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    MosquittoBroker broker = new MosquittoBroker(p, port);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () -> {
              new Socket("127.0.0.1", port).close();
              return true;
            });
    return broker;
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
