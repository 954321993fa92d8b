package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.CollectorConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reload applies and what it refuses, on sources whose broker is not there (they stay
 * connecting) and a Kafka that is not there either: sources added, removed and restarted, keys that
 * need a restart kept as running, an invalid watched file refused.
 */
class ReloadBookkeepingTest {
  @TempDir Path dir;

  private String yaml(int lingerMs, String... sources) throws Exception {
    StringBuilder y =
        new StringBuilder(
            "collector:\n  id: edge-rl\n  state-dir: ./state\n"
                + "kafka:\n  bootstrap-servers: 127.0.0.1:"
                + Plants.freePort()
                + "\n  linger-ms: "
                + lingerMs
                + "\nhttp:\n  port: 0\nsources:\n");
    int port = Plants.freePort();
    for (String s : sources) {
      String[] nameQos = s.split(":");
      y.append("  - name: ")
          .append(nameQos[0])
          .append("\n    type: mqtt\n    broker: tcp://127.0.0.1:")
          .append(port)
          .append("\n    qos: ")
          .append(nameQos[1])
          .append("\n    topics:\n      - pattern: \"f/{site}/{area}/{line}/{device}\"\n");
    }
    return y.toString();
  }

  @Test
  void reloadAddsRemovesAndRestartsSourcesAndKeepsKeysThatNeedARestart() throws Exception {
    Path file = dir.resolve("collector.yaml");
    String first = yaml(5, "a:1", "b:1");
    Files.writeString(file, first);
    CollectorConfig initial = CollectorConfigLoader.load(file);
    try (EdgeCollector collector = EdgeCollector.start(initial, Clock.systemUTC())) {
      // Same brokers and Kafka port as the first file, other mapping and linger.
      String second =
          first
              .replace("linger-ms: 5", "linger-ms: 50")
              .replace("  - name: b\n", "  - name: c\n")
              .replaceFirst("qos: 1", "qos: 0");
      Files.writeString(file, second);
      ReloadResult r = collector.reload(CollectorConfigLoader.load(file));

      assertThat(r.added()).containsExactly("c");
      assertThat(r.removed()).containsExactly("b");
      assertThat(r.restarted()).containsExactly("a");
      assertThat(r.notApplied()).containsExactly("kafka");
      assertThat(collector.sourceStates().keySet()).containsExactly("a", "c");
      assertThat(collector.config().kafka().lingerMs()).isEqualTo(5);
      assertThat(collector.config().sources()).hasSize(2);
      assertThat(collector.reloadsApplied()).isEqualTo(1);

      assertThat(collector.reload(CollectorConfigLoader.load(file)).unchanged()).isTrue();

      // The watched file: an invalid edit is refused, the running sources stay.
      collector.watch(file, Duration.ofMillis(50));
      Files.writeString(file, second.replace("qos: 0", "qos: 9"));
      await().atMost(Duration.ofSeconds(30)).until(() -> collector.reloadsRefused() == 1);
      assertThat(collector.sourceStates().keySet()).containsExactly("a", "c");
      assertThat(collector.reloadsApplied()).isEqualTo(2);

      // ... and a valid one is applied: b back, c gone.
      Files.writeString(file, first.replace("linger-ms: 5", "linger-ms: 50"));
      await().atMost(Duration.ofSeconds(30)).until(() -> collector.reloadsApplied() == 3);
      assertThat(collector.sourceStates().keySet()).containsExactly("a", "b");
    }
  }
}
