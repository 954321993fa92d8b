package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable collector jar that {@code package} builds, run the way a plant engineer runs it:
 * {@code java -Xmx256m -jar ironlake-collector-VERSION.jar run --config FILE} in its own JVM,
 * against a simulated plant (an OPC UA line and an MQTT line) and a real Kafka broker. Points of
 * both sources reach {@code telemetry.v1}; SIGTERM stops it cleanly (the spool drained, exit status
 * 143 like any JVM stopped by SIGTERM).
 */
class CollectorJarIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void theJarCollectsBothSourcesIntoKafkaAndStopsCleanlyOnSigterm() throws Exception {
    Path jar = Path.of(System.getProperty("collector.jar", "target/missing.jar"));
    assertThat(jar).as("built by `mvn package`").isRegularFile();
    assertThat(Files.size(jar)).isLessThanOrEqualTo(40L * 1024 * 1024);

    int kafkaPort = Plants.freePort();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort);
        SimulatedFactory factory =
            SimulatedFactory.start(
                SimulatorConfig.builder()
                    .opcUaLines(1)
                    .mqttLines(1)
                    .machinesPerLine(2)
                    .speed(10)
                    .duration(Duration.ofHours(1))
                    .dataDir(dir.resolve("sim"))
                    .build())) {
      kafka.createTopic("telemetry.v1", 1);
      Path config = writeConfig(factory, kafkaPort);
      Path log = dir.resolve("collector.log");
      Process p = launch(jar, config, log);

      try (TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry.v1")) {
        try {
          await()
              .atMost(WAIT)
              .until(
                  () ->
                      telemetry.poll().stream()
                          .map(r -> TelemetryCodec.decode(r.value()).source())
                          .collect(Collectors.toSet())
                          .containsAll(Set.of("opcua-plant", "mqtt-gw")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("no points of both sources; collector log:\n" + read(log), e);
        }
        TelemetryPoint first = TelemetryCodec.decode(telemetry.records().get(0).value());
        assertThat(first.collectorId()).isEqualTo("edge-jar");
      }

      assertThat(p.isAlive()).as(read(log)).isTrue();
      p.destroy(); // SIGTERM: the shutdown hook closes the collector
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(read(log)).isTrue();
      // 143 = 128 + SIGTERM: how a JVM ends on SIGTERM after its shutdown hooks ran; the systemd
      // unit counts it as success (SuccessExitStatus=143).
      assertThat(p.exitValue()).as(read(log)).isEqualTo(143);
      assertThat(read(log)).contains("edge collector closed").doesNotContain("Exception");
    }
  }

  private Path writeConfig(SimulatedFactory factory, int kafkaPort) throws IOException {
    List<String> yaml = new ArrayList<>();
    yaml.add("collector:");
    yaml.add("  id: edge-jar");
    yaml.add("  state-dir: " + dir.resolve("state"));
    yaml.add("kafka:");
    yaml.add("  bootstrap-servers: 127.0.0.1:" + kafkaPort);
    yaml.add("sources:");
    yaml.add("  - name: opcua-plant");
    yaml.add("    type: opcua");
    yaml.add("    endpoint: " + factory.opcUaEndpoint());
    yaml.add("    security-policy: None");
    yaml.add("    namespace-uri: " + factory.plant().namespaceUri());
    yaml.add("    nodes:");
    for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        yaml.add("      - node-id: \"" + t.nodeId() + "\"");
        yaml.add("        site: " + m.site());
        yaml.add("        area: " + m.area());
        yaml.add("        line: " + m.line());
        yaml.add("        device: " + m.device());
        yaml.add("        tag: " + t.name());
      }
    }
    yaml.add("  - name: mqtt-gw");
    yaml.add("    type: mqtt");
    yaml.add("    broker: " + factory.mqttBrokerUrl());
    yaml.add("    client-id: ironlake-jar-it");
    yaml.add("    mqtt-version: \"3.1.1\""); // the simulator's embedded Moquette refuses MQTT 5
    yaml.add("    topics:");
    yaml.add("      - pattern: \"" + Plants.TELEMETRY_PATTERN + "\"");
    yaml.add("");
    Path file = dir.resolve("collector.yaml");
    Files.writeString(file, String.join("\n", yaml), StandardCharsets.UTF_8);
    return file;
  }

  private Process launch(Path jar, Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-jar",
            jar.toString(),
            "run",
            "--config",
            config.toString(),
            "--stats-every-s",
            "1");
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
