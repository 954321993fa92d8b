package io.ironlake.collector.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.SourceState;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaIdentity;
import io.ironlake.collector.config.OpcUaSecurityConfig;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.internal.PointSink;
import io.ironlake.collector.opcua.internal.MiloClients;
import io.ironlake.collector.opcua.internal.OpcUaPki;
import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.OpcUaServerSecurity;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OPC UA source against the simulator's Milo server offering every security policy and mode:
 * each policy x mode and each identity type opens a session and delivers points; a wrong password,
 * an unknown server and an unknown collector are refused with messages that say what to fix, and
 * moving the rejected server certificate into trusted/ lets the source connect.
 */
class OpcUaSecurityTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String COLLECTOR = "edge-sec";
  private static final String USER = "operator";
  private static final String PASSWORD = "s3cret-pw";

  @TempDir static Path dir;
  static SimulatedFactory factory;
  static Path pkiDir;
  static Path passwordFile;
  static Path userCertFile;
  static Path userKeyFile;

  @BeforeAll
  static void startServer() throws Exception {
    KeyPair userKeys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
    X509Certificate userCert =
        new SelfSignedCertificateBuilder(userKeys).setCommonName("line operator").build();
    userCertFile = Files.write(dir.resolve("user-cert.der"), userCert.getEncoded());
    userKeyFile =
        Files.writeString(
            dir.resolve("user-key.pem"),
            "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(userKeys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    passwordFile = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
    factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(1)
                .mqttLines(0)
                .machinesPerLine(1)
                .tick(Duration.ofMillis(100))
                .opcUaSecurity(
                    OpcUaServerSecurity.allPolicies()
                        .withUsers(Map.of(USER, PASSWORD))
                        .withTrustedUserCertificates(List.of(userCert))
                        .withPkiDir(dir.resolve("server-pki")))
                .build());
    // The collector's certificate, created as on its first start, trusted by the server; the
    // server's certificate trusted by the collector.
    pkiDir = dir.resolve("collector-pki");
    trustEachOther(pkiDir, COLLECTOR);
  }

  @AfterAll
  static void stopServer() {
    if (factory != null) {
      factory.close();
    }
  }

  private static OpcUaPki trustEachOther(Path pki, String collectorId) throws Exception {
    OpcUaPki collectorPki = collectorPki(pki, collectorId);
    Files.copy(
        collectorPki.certificateFile(),
        factory.opcUaTrustedClientsDir().resolve(collectorId + ".der"));
    Files.write(
        collectorPki.trustedDir().resolve("simulator.der"),
        factory.opcUaServerCertificate().getEncoded());
    return collectorPki;
  }

  private static OpcUaPki collectorPki(Path pki, String collectorId) {
    return OpcUaPki.open(
        pki, MiloClients.applicationUri(collectorId), "Ironlake edge collector " + collectorId);
  }

  static Stream<Arguments> policiesAndModes() {
    List<Arguments> out = new ArrayList<>();
    for (String policy :
        List.of("Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss")) {
      for (String mode : List.of("Sign", "SignAndEncrypt")) {
        out.add(Arguments.of(policy, mode));
      }
    }
    out.add(Arguments.of("None", "None"));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("policiesAndModes")
  void everyPolicyAndModeDeliversPoints(String policy, String mode) {
    OpcUaSecurityConfig security = OpcUaSecurityConfig.of(policy, mode, OpcUaIdentity.ANONYMOUS);
    try (Running r = run(COLLECTOR, security, pkiDir)) {
      r.awaitPoints();
      assertThat(r.points).allSatisfy(p -> assertThat(p.quality()).isEqualTo(Quality.GOOD));
    }
  }

  @Test
  void usernameAndPasswordFromAFileLogsIn() {
    try (Running r =
        run(
            COLLECTOR,
            OpcUaSecurityConfig.of(
                "Basic256Sha256",
                "SignAndEncrypt",
                new OpcUaIdentity.UserPassword(USER, passwordFile, null)),
            pkiDir)) {
      r.awaitPoints();
    }
  }

  @Test
  void x509UserCertificateLogsIn() {
    try (Running r =
        run(
            COLLECTOR,
            OpcUaSecurityConfig.of(
                "Aes256_Sha256_RsaPss",
                "SignAndEncrypt",
                new OpcUaIdentity.X509(userCertFile, userKeyFile)),
            pkiDir)) {
      r.awaitPoints();
    }
  }

  @Test
  void aWrongPasswordIsRefusedNamingThePasswordFile() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-it\n");
    try (Running r =
        run(
            COLLECTOR,
            OpcUaSecurityConfig.of(
                "Basic256Sha256",
                "SignAndEncrypt",
                new OpcUaIdentity.UserPassword(USER, wrong, null)),
            pkiDir)) {
      await().atMost(WAIT).until(() -> r.source.lastError() != null);
      assertThat(r.source.lastError())
          .contains("the server refused the login")
          .contains("Bad_UserAccessDenied")
          .contains("user " + USER)
          .contains("password-file " + wrong);
      assertThat(r.source.state()).isEqualTo(SourceState.CONNECTING);
      assertThat(r.points).isEmpty();
    }
  }

  @Test
  void anUnknownServerIsRefusedUntilItsRejectedCertificateIsMovedToTrusted() throws Exception {
    Path pki = dir.resolve("pki-unknown-server");
    OpcUaPki collectorPki = collectorPki(pki, "edge-unknown-server");
    Files.copy(
        collectorPki.certificateFile(),
        factory.opcUaTrustedClientsDir().resolve("edge-unknown-server.der"));
    try (Running r =
        run(
            "edge-unknown-server",
            OpcUaSecurityConfig.of("Basic256Sha256", "SignAndEncrypt", OpcUaIdentity.ANONYMOUS),
            pki)) {
      await().atMost(WAIT).until(() -> r.source.lastError() != null);
      List<Path> rejected;
      try (Stream<Path> files = Files.list(collectorPki.rejectedDir())) {
        rejected = files.toList();
      }
      assertThat(rejected).hasSize(1);
      Path file = rejected.get(0);
      assertThat(OpcUaPki.readCertificates(file)).containsExactly(factory.opcUaServerCertificate());
      assertThat(r.source.lastError())
          .contains("is not trusted")
          .contains("it was written to " + file)
          .contains("move that file into " + collectorPki.trustedDir());
      assertThat(r.source.state()).isEqualTo(SourceState.CONNECTING);
      assertThat(r.points).isEmpty();

      // The operator checks the certificate and moves it; the next retry connects.
      Files.move(file, collectorPki.trustedDir().resolve(file.getFileName()));
      r.awaitPoints();
      assertThat(r.source.lastError()).isNull();
    }
  }

  @Test
  void trustUnknownServersTrustsOnFirstUseAndKeepsTheCertificate() throws Exception {
    Path pki = dir.resolve("pki-tofu");
    OpcUaPki collectorPki = collectorPki(pki, "edge-tofu");
    Files.copy(
        collectorPki.certificateFile(), factory.opcUaTrustedClientsDir().resolve("edge-tofu.der"));
    try (Running r =
        run(
            "edge-tofu",
            OpcUaSecurityConfig.of("Basic256Sha256", "Sign", OpcUaIdentity.ANONYMOUS)
                .withTrustUnknownServers(true),
            pki)) {
      r.awaitPoints();
    }
    try (Stream<Path> files = Files.list(collectorPki.trustedDir())) {
      List<Path> trusted = files.toList();
      assertThat(trusted).hasSize(1);
      assertThat(OpcUaPki.readCertificates(trusted.get(0)))
          .containsExactly(factory.opcUaServerCertificate());
    }
  }

  @Test
  void aCollectorTheServerDoesNotTrustIsToldWhichFileToGiveTheServer() throws Exception {
    Path pki = dir.resolve("pki-untrusted-client");
    OpcUaPki collectorPki = collectorPki(pki, "edge-untrusted");
    Files.write(
        collectorPki.trustedDir().resolve("simulator.der"),
        factory.opcUaServerCertificate().getEncoded());
    try (Running r =
        run(
            "edge-untrusted",
            OpcUaSecurityConfig.of("Basic256Sha256", "SignAndEncrypt", OpcUaIdentity.ANONYMOUS),
            pki)) {
      await().atMost(WAIT).until(() -> r.source.lastError() != null);
      assertThat(r.source.lastError())
          .contains("the server refused the collector's certificate")
          .contains(collectorPki.certificateFile().toString());
      assertThat(r.points).isEmpty();
    }
  }

  @Test
  void theApplicationCertificateIsCreatedOnceAndKept() throws Exception {
    Path pki = dir.resolve("pki-kept");
    OpcUaPki first = collectorPki(pki, "edge-kept");
    OpcUaPki again = collectorPki(pki, "edge-kept");
    assertThat(again.certificate()).isEqualTo(first.certificate());
    assertThat(first.certificate().getSubjectAlternativeNames().toString())
        .contains(MiloClients.applicationUri("edge-kept"));
    // Another collector id would present a certificate with the wrong application URI.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> collectorPki(pki, "edge-other"))
        .isInstanceOf(OpcUaConnectException.class)
        .hasMessageContaining(
            "it was made for application URI urn:ironlake:edge-collector:edge-kept")
        .hasMessageContaining("delete " + pki.resolve("own"));
    assertThat(Files.readString(pki.resolve("own/key.pem"), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN PRIVATE KEY-----");
  }

  private static Running run(String collectorId, OpcUaSecurityConfig security, Path pki) {
    List<NodeMapping> nodes = new ArrayList<>();
    for (SimMachine m : factory.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        nodes.add(
            new NodeMapping(
                t.nodeId(), m.site(), m.area(), m.line(), m.device(), t.name(), t.unit()));
      }
    }
    OpcUaSourceConfig config =
        OpcUaSourceConfig.of(
                "opcua-sec", factory.opcUaEndpoint(), factory.plant().namespaceUri(), nodes)
            .withSecurity(security);
    Running r = new Running();
    r.source = new OpcUaSource(collectorId, config, r, Clock.systemUTC(), pki);
    r.source.start();
    return r;
  }

  /** A started source and the points it emitted. */
  private static final class Running implements PointSink, AutoCloseable {
    final List<TelemetryPoint> points = new CopyOnWriteArrayList<>();
    OpcUaSource source;

    void awaitPoints() {
      await().atMost(WAIT).until(() -> source.state() == SourceState.READY && points.size() >= 10);
    }

    @Override
    public void emit(List<TelemetryPoint> batch, long mark, Runnable onStored) {
      points.addAll(batch);
      onStored.run();
    }

    @Override
    public void emitEvents(List<SpoolEntry.EncodedPoint> events, Runnable onStored) {
      onStored.run();
    }

    @Override
    public void deadLetter(DeadLetter letter, long mark, Runnable onStored) {
      onStored.run();
    }

    @Override
    public boolean alreadySpooled(long mark) {
      return false;
    }

    @Override
    public void redeliverySkipped() {}

    @Override
    public void close() {
      source.close();
    }
  }
}
