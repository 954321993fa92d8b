package io.ironlake.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT keys: version, session, shared group, login, TLS, and the topic formats. */
class MqttConfigLoaderTest {
  private static final String HEAD =
      """
      collector:
        id: edge-1
      kafka:
        bootstrap-servers: 127.0.0.1:9092
      sources:
        - name: mqtt-gw
          type: mqtt
      """;

  @TempDir Path dir;

  private CollectorConfig load(String source) throws IOException {
    Path file = dir.resolve("collector.yaml");
    Files.writeString(file, HEAD + source.indent(4));
    return CollectorConfigLoader.load(file);
  }

  private List<String> problems(String source) {
    try {
      load(source);
    } catch (InvalidConfigException e) {
      return e.problems();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the config to be refused");
  }

  private String file() {
    return dir.resolve("collector.yaml").toString();
  }

  @Test
  void mqtt5WithTlsLoginSharedGroupAndEveryFormatLoads() throws IOException {
    Files.writeString(dir.resolve("ca.pem"), "x");
    Files.writeString(dir.resolve("password"), "secret\n");
    MqttSourceConfig m =
        (MqttSourceConfig)
            load("""
                    broker: ssl://broker.plant:8883
                    session-expiry-s: 3600
                    shared-group: edge
                    username: ironlake
                    password-file: password
                    ca-file: ca.pem
                    topics:
                      - pattern: "sensors/{site}/{area}/{line}/{device}"
                        json-layout: flat
                        ts-field: time
                        ts-format: iso-8601
                      - pattern: "plc/{device}/{tag}"
                        format: plain
                        site: s
                        area: a
                        line: l
                        units: {temp_c: "°C"}
                      - pattern: "spBv1.0/plant-sh/#"
                        format: sparkplug-b
                        area: assembly
                    """)
                .sources()
                .get(0);
    assertThat(m.mqtt5()).as("MQTT 5 is the default").isTrue();
    assertThat(m.sessionExpirySeconds()).isEqualTo(3600);
    assertThat(m.sharedGroup()).isEqualTo("edge");
    assertThat(m.auth()).isEqualTo(new MqttAuthConfig("ironlake", dir.resolve("password"), null));
    assertThat(m.tls()).isEqualTo(new MqttTlsConfig(dir.resolve("ca.pem"), null, null, true));
    assertThat(m.topics())
        .containsExactly(
            new TopicMapping(
                "sensors/{site}/{area}/{line}/{device}",
                "json",
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                "flat",
                "time",
                "iso-8601"),
            new TopicMapping(
                "plc/{device}/{tag}",
                "plain",
                Map.of("temp_c", "°C"),
                "s",
                "a",
                "l",
                null,
                null,
                "values",
                "ts",
                "epoch-ms"),
            TopicMapping.sparkplug("spBv1.0/plant-sh/#", "assembly"));
    assertThat(m.toString()).doesNotContain("secret");
  }

  @Test
  void badLoginAndTlsKeysAreRefusedNamingKeyAndExpectation() {
    assertThat(
            problems(
                """
                broker: tcp://127.0.0.1:1883
                password-file: nowhere
                password-env: ALSO_SET
                ca-file: ca.pem
                cert-file: client.pem
                topics:
                  - pattern: "a/{site}/{area}/{line}/{device}"
                """))
        .containsExactlyInAnyOrder(
            "Invalid keys sources[0].password-file and sources[0].password-env in "
                + file()
                + ": expected at most one of them, the password comes from one place",
            "Missing key sources[0].username in "
                + file()
                + ": expected the user name that goes with the password",
            "Invalid value \"ca.pem\" for sources[0].ca-file in "
                + file()
                + ": expected a readable PEM file",
            "Invalid value \"client.pem\" for sources[0].cert-file in "
                + file()
                + ": expected a readable PEM file",
            "Invalid TLS keys for sources[0].broker in "
                + file()
                + ": expected an ssl:// broker URL when ca-file, cert-file, key-file or"
                + " verify-hostname is set (got tcp://127.0.0.1:1883)",
            "Missing key sources[0].key-file in "
                + file()
                + ": expected cert-file and key-file together (a client certificate needs its"
                + " key)");
  }

  @Test
  void aSparkplugPrimaryHostLoadsWithACleanSessionAndIsRefusedOtherwise() throws IOException {
    CollectorConfig ok =
        load(
            """
            broker: tcp://127.0.0.1:1883
            clean-session: true
            sparkplug-host-id: scada-1
            topics:
              - pattern: "spBv1.0/+/#"
                format: sparkplug-b
                area: assembly
            """);
    MqttSourceConfig source = (MqttSourceConfig) ok.sources().get(0);
    assertThat(source.sparkplugHostId()).isEqualTo("scada-1");
    assertThat(source.sparkplugHost()).isTrue();
    assertThat(source.cleanSession()).isTrue();

    assertThat(
            problems(
                """
                broker: tcp://127.0.0.1:1883
                sparkplug-host-id: scada-1
                shared-group: edge
                topics:
                  - pattern: "spBv1.0/+/#"
                    format: sparkplug-b
                    area: assembly
                """))
        .containsExactlyInAnyOrder(
            "Invalid key sources[0].clean-session in "
                + file()
                + ": expected clean-session: true with sparkplug-host-id (a Sparkplug host"
                + " connects with a clean session; its edge nodes hold their data while it is"
                + " away)",
            "Invalid keys sources[0].sparkplug-host-id and sources[0].shared-group in "
                + file()
                + ": expected at most one of them: one primary host, not a group of collectors");
    assertThat(
            problems(
                """
                broker: tcp://127.0.0.1:1883
                clean-session: true
                sparkplug-host-id: "scada/1"
                topics:
                  - pattern: "spBv1.0/+/#"
                    format: sparkplug-b
                    area: assembly
                """))
        .containsExactly(
            "Invalid value \"scada/1\" for sources[0].sparkplug-host-id in "
                + file()
                + ": expected a host id without '/', '+', '#'");
  }

  @Test
  void badFormatsAndTopicsAreRefused() {
    assertThat(
            problems(
                """
                broker: tcp://127.0.0.1:1883
                mqtt-version: "3.1"
                shared-group: "a/b"
                topics:
                  - pattern: "plc/{site}/{area}/{line}/{device}"
                    format: plain
                  - pattern: "spBv1.0/{site}/#"
                    format: sparkplug-b
                  - pattern: "x/{site}/{area}/{line}/{device}"
                    format: xml
                    ts-format: epoch-ns
                  - pattern: "spBv1.0/g/#"
                    format: sparkplug-b
                """))
        .containsExactlyInAnyOrder(
            "Invalid value \"3.1\" for sources[0].mqtt-version in "
                + file()
                + ": expected \"5\" or \"3.1.1\"",
            "Invalid value \"a/b\" for sources[0].shared-group in "
                + file()
                + ": expected a group name without '/', '+', '#'",
            "Missing key sources[0].topics[0].tag in "
                + file()
                + ": expected the tag of the topic's points, since the pattern"
                + " \"plc/{site}/{area}/{line}/{device}\" does not capture {tag}",
            "Invalid value \"spBv1.0/{site}/#\" for sources[0].topics[1].pattern in "
                + file()
                + ": expected an MQTT topic pattern with {site}, {area}, {line}, {device}, + and"
                + " a final #: sparkplug-b takes the path from the Sparkplug topic, so no {name}"
                + " captures",
            "Missing key sources[0].topics[1].area in "
                + file()
                + ": expected the ISA-95 area of the Sparkplug points (the topic has none)",
            "Invalid value \"xml\" for sources[0].topics[2].format in "
                + file()
                + ": expected json, plain or sparkplug-b",
            "Invalid value \"epoch-ns\" for sources[0].topics[2].ts-format in "
                + file()
                + ": expected epoch-ms, epoch-s, epoch-us or iso-8601",
            "Missing key sources[0].topics[3].area in "
                + file()
                + ": expected the ISA-95 area of the Sparkplug points (the topic has none)");
  }

  @Test
  void anUnsetPasswordVariableIsRefused() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    broker: tcp://127.0.0.1:1883
                    username: u
                    password-env: IRONLAKE_TEST_SURELY_UNSET_VARIABLE
                    topics:
                      - pattern: "a/{site}/{area}/{line}/{device}"
                    """))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(
            "Invalid value \"IRONLAKE_TEST_SURELY_UNSET_VARIABLE\" for sources[0].password-env in "
                + file()
                + ": expected an environment variable that is set (it is not)");
  }
}
