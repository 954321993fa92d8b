package io.ironlake.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.collector.CollectorException;
import io.ironlake.collector.SourceState;
import io.ironlake.collector.config.CollectorConfigLoader;
import io.ironlake.collector.config.HttpConfig;
import io.ironlake.collector.config.InvalidConfigException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations endpoint with TLS and authentication, from the YAML keys a user writes: HTTPS with
 * a generated certificate, liveness open to probes, readiness and metrics only with the right
 * bearer token or basic login (401 and no metrics otherwise), and clear errors for bad keys, files
 * and secrets.
 */
class OpsEndpointSecurityTest {
  private static final String TOKEN = "s3cret-token-4f1c9a";
  private static final String BASE =
      """
      collector:
        id: edge-sec
      kafka:
        bootstrap-servers: 127.0.0.1:9092
      sources:
        - name: mqtt-gw
          type: mqtt
          broker: tcp://127.0.0.1:1883
          topics:
            - pattern: "factory/{site}/{area}/{line}/{device}/telemetry"
      """;

  @TempDir static Path dir;
  static X509Certificate certificate;
  static PrometheusRegistry registry;

  @BeforeAll
  static void generateCertificateAndMetrics() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair pair = gen.generateKeyPair();
    X500Name name = new X500Name("CN=ironlake-collector-test");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            name,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
              new GeneralName(GeneralName.dNSName, "localhost")
            }));
    certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    Files.writeString(dir.resolve("http-cert.pem"), pem(certificate));
    Files.writeString(dir.resolve("http-key.pem"), pem(pair.getPrivate()));
    Files.writeString(dir.resolve("http-token"), TOKEN + "\n");
    Files.writeString(dir.resolve("http-password"), "pa55word\n");
    Files.writeString(dir.resolve("empty-token"), "\n");
    Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");

    registry = new PrometheusRegistry();
    Counter.builder().name("ironlake_test_points").help("points").register(registry).inc(7);
  }

  @Test
  void httpsWithBearerTokenKeepsLivenessOpenAndMetricsClosed() throws Exception {
    HttpConfig config =
        http(
            """
            http:
              port: 0
              cert-file: http-cert.pem
              key-file: http-key.pem
              auth: bearer
              token-file: http-token
            """);
    assertThat(config.toString()).doesNotContain(TOKEN);
    try (OpsHttpServer ops = start(config)) {
      HttpClient client = client(trusting(certificate));
      String base = "https://127.0.0.1:" + ops.port();

      HttpResponse<String> live = get(client, base + "/health/live", null);
      assertThat(live.statusCode()).as("liveness needs no token").isEqualTo(200);
      assertThat(live.body()).isEqualTo("{\"status\":\"live\"}");

      for (String path : new String[] {"/metrics", "/health/ready"}) {
        for (String header :
            new String[] {null, "Bearer wrong-token", "Bearer " + TOKEN + "x", TOKEN}) {
          HttpResponse<String> refused = get(client, base + path, header);
          assertThat(refused.statusCode()).as("%s with %s", path, header).isEqualTo(401);
          assertThat(refused.headers().firstValue("WWW-Authenticate"))
              .contains("Bearer realm=\"ironlake-collector\"");
          assertThat(refused.body()).doesNotContain("ironlake_test").doesNotContain("mqtt-gw");
        }
      }

      HttpResponse<String> metrics = get(client, base + "/metrics", "Bearer " + TOKEN);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("ironlake_test_points_total 7.0");
      HttpResponse<String> ready = get(client, base + "/health/ready", "Bearer " + TOKEN);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"name\":\"mqtt-gw\"");

      // Plain HTTP to the HTTPS port gets nothing; a client that does not trust the certificate
      // refuses the handshake.
      assertThatThrownBy(
              () -> get(client(null), "http://127.0.0.1:" + ops.port() + "/metrics", null))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> get(client(SSLContext.getDefault()), base + "/health/live", null))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void basicAuthOverPlainHttp() throws Exception {
    HttpConfig config =
        http(
            """
            http:
              port: 0
              auth: basic
              username: prometheus
              password-file: http-password
            """);
    try (OpsHttpServer ops = start(config)) {
      HttpClient client = client(null);
      String base = "http://127.0.0.1:" + ops.port();
      assertThat(get(client, base + "/health/live", null).statusCode()).isEqualTo(200);
      HttpResponse<String> none = get(client, base + "/metrics", null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .contains("Basic realm=\"ironlake-collector\"");
      assertThat(none.body()).doesNotContain("ironlake_test");
      assertThat(get(client, base + "/metrics", basic("prometheus", "wrong")).statusCode())
          .isEqualTo(401);
      assertThat(get(client, base + "/metrics", basic("someone", "pa55word")).statusCode())
          .isEqualTo(401);
      HttpResponse<String> ok = get(client, base + "/metrics", basic("prometheus", "pa55word"));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("ironlake_test_points_total 7.0");
    }
  }

  @Test
  void badKeysAreRefusedWithTheKeyAndFile() throws Exception {
    Path file = dir.resolve("collector.yaml");
    assertThat(messageOf("http:\n  cert-file: http-cert.pem\n"))
        .contains(
            "Missing key http.key-file in "
                + file
                + ": expected both cert-file and key-file for HTTPS (or neither for plain HTTP)");
    assertThat(messageOf("http:\n  cert-file: nope.pem\n  key-file: http-key.pem\n"))
        .contains(
            "Invalid value \"nope.pem\" for http.cert-file in "
                + file
                + ": expected a readable file ("
                + dir.resolve("nope.pem")
                + " is not)");
    assertThat(messageOf("http:\n  auth: bearer\n"))
        .contains(
            "Missing key http.token-file in "
                + file
                + ": expected exactly one of token-file and token-env with auth bearer");
    assertThat(messageOf("http:\n  auth: token\n"))
        .contains(
            "Invalid value \"token\" for http.auth in "
                + file
                + ": expected none, bearer or basic");
    assertThat(messageOf("http:\n  auth: basic\n  password-file: http-password\n"))
        .contains("Missing key http.username in " + file + ": expected the user name (auth basic)");
    assertThat(messageOf("http:\n  auth: basic\n  username: a\n  token-file: http-token\n"))
        .contains("Invalid value \"http-token\" for http.token-file in " + file)
        .contains("expected no token-file with auth basic");
    assertThat(messageOf("http:\n  token-env: TOKEN\n"))
        .contains("expected no token-env with auth none");
  }

  @Test
  void unusableFilesAndSecretsStopTheStartNamingTheKey() throws Exception {
    HttpConfig badCert =
        http("http:\n  port: 0\n  cert-file: not-a-cert.pem\n  key-file: http-key.pem\n");
    assertThatThrownBy(() -> start(badCert))
        .isInstanceOf(CollectorException.class)
        .hasMessageContaining("Cannot use http.cert-file " + dir.resolve("not-a-cert.pem"));
    HttpConfig emptyToken = http("http:\n  port: 0\n  auth: bearer\n  token-file: empty-token\n");
    assertThatThrownBy(() -> start(emptyToken))
        .isInstanceOf(CollectorException.class)
        .hasMessage(
            "Cannot use the HTTP token from http.token-file "
                + dir.resolve("empty-token")
                + ": it is empty");
    HttpConfig unsetEnv =
        http("http:\n  port: 0\n  auth: bearer\n  token-env: IRONLAKE_TEST_UNSET_TOKEN_VAR\n");
    assertThatThrownBy(() -> start(unsetEnv))
        .isInstanceOf(CollectorException.class)
        .hasMessage(
            "Cannot read the HTTP token: environment variable IRONLAKE_TEST_UNSET_TOKEN_VAR"
                + " (http.token-env) is not set");
  }

  private static HttpConfig http(String httpYaml) throws IOException {
    Path file = dir.resolve("collector.yaml");
    Files.writeString(file, BASE + httpYaml);
    return CollectorConfigLoader.load(file).http();
  }

  private static String messageOf(String httpYaml) throws IOException {
    try {
      http(httpYaml);
    } catch (InvalidConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the config to be refused: " + httpYaml);
  }

  private static OpsHttpServer start(HttpConfig config) {
    return OpsHttpServer.start(
        config,
        "edge-sec",
        registry,
        () -> Map.of("mqtt-gw", Map.entry("mqtt", SourceState.READY)));
  }

  private static HttpClient client(SSLContext ssl) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (ssl != null) {
      b.sslContext(ssl);
    }
    return b.build();
  }

  private static SSLContext trusting(X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("collector", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static HttpResponse<String> get(HttpClient client, String url, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }
}
