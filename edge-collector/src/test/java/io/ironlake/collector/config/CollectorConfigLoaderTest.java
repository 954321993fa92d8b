package io.ironlake.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.collector.spool.FsyncPolicy;
import io.ironlake.collector.spool.OnFull;
import io.ironlake.collector.spool.SpoolConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorConfigLoaderTest {
  private static final String GOOD =
      """
      collector:
        id: edge-1
        state-dir: ./collector-state
      kafka:
        bootstrap-servers: 127.0.0.1:9092
        linger-ms: 5
        compression: lz4
        properties:
          request.timeout.ms: "20000"
      sources:
        - name: opcua-plant
          type: opcua
          endpoint: opc.tcp://127.0.0.1:4840/ironlake
          security-policy: None
          publishing-interval-ms: 100
          sampling-interval-ms: 0
          queue-size: 100
          namespace-uri: urn:ironlake:simulator
          nodes:
            - node-id: "nsu=urn:ironlake:simulator;s=plant-sh/assembly/line-1/m01/power_kw"
              site: plant-sh
              area: assembly
              line: line-1
              device: m01
              tag: power_kw
              unit: kW
            - node-id: "s=plant-sh/assembly/line-1/m01/state"
              site: plant-sh
              area: assembly
              line: line-1
              device: m01
              tag: state
        - name: mqtt-gw
          type: mqtt
          broker: tcp://127.0.0.1:1883
          mqtt-version: "3.1.1"
          qos: 1
          clean-session: false
          topics:
            - pattern: "factory/{site}/{area}/{line}/{device}/telemetry"
              format: json
              units: {power_kw: kW, energy_kwh: kWh, temperature_c: "°C", diameter_mm: mm}
            - pattern: "legacy/{device}/data"
              site: plant-sh
              area: packing
              line: line-9
      """;

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("collector.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private String messageOf(String yaml) throws IOException {
    Path file = write(yaml);
    try {
      CollectorConfigLoader.load(file);
    } catch (InvalidConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the config to be refused");
  }

  @Test
  void goodFileLoadsWithDefaultsFilledIn() throws IOException {
    CollectorConfig c = CollectorConfigLoader.load(write(GOOD));

    assertThat(c.id()).isEqualTo("edge-1");
    assertThat(c.stateDir()).isEqualTo(dir.resolve("collector-state"));
    assertThat(c.seqBlockSize()).isEqualTo(10_000);
    assertThat(c.kafka().bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(c.kafka().telemetryTopic()).isEqualTo("telemetry.v1");
    assertThat(c.kafka().deadletterTopic()).isEqualTo("deadletter.v1");
    assertThat(c.kafka().properties()).containsEntry("request.timeout.ms", "20000");
    assertThat(c.sources()).hasSize(2);

    OpcUaSourceConfig o = (OpcUaSourceConfig) c.sources().get(0);
    assertThat(o.name()).isEqualTo("opcua-plant");
    assertThat(o.maxItemsPerSubscription()).isEqualTo(1000);
    assertThat(o.subscriptionLifetimeMs()).isEqualTo(60_000);
    assertThat(o.nodes())
        .containsExactly(
            new NodeMapping(
                "nsu=urn:ironlake:simulator;s=plant-sh/assembly/line-1/m01/power_kw",
                "plant-sh",
                "assembly",
                "line-1",
                "m01",
                "power_kw",
                "kW"),
            new NodeMapping(
                "s=plant-sh/assembly/line-1/m01/state",
                "plant-sh",
                "assembly",
                "line-1",
                "m01",
                "state",
                ""));

    MqttSourceConfig m = (MqttSourceConfig) c.sources().get(1);
    assertThat(m.clientId()).isEqualTo("ironlake-edge-1-mqtt-gw");
    assertThat(m.qos()).isEqualTo(1);
    assertThat(m.cleanSession()).isFalse();
    assertThat(m.maxPayloadBytes()).isEqualTo(1024 * 1024);
    assertThat(m.topics().get(0).units()).containsEntry("temperature_c", "°C");
    assertThat(m.topics().get(1))
        .isEqualTo(
            new TopicMapping(
                "legacy/{device}/data", "json", Map.of(), "plant-sh", "packing", "line-9", null));
  }

  @Test
  void httpEndpointDefaultsToLoopback9464AndTakesBindAndPort() throws IOException {
    assertThat(CollectorConfigLoader.load(write(GOOD)).http())
        .isEqualTo(new HttpConfig("127.0.0.1", 9464));
    CollectorConfig c =
        CollectorConfigLoader.load(write(GOOD + "http:\n  bind: 0.0.0.0\n  port: 9100\n"));
    assertThat(c.http()).isEqualTo(new HttpConfig("0.0.0.0", 9100));
    assertThat(CollectorConfigLoader.load(write(GOOD + "http:\n  port: 0\n")).http().enabled())
        .isFalse();
  }

  @Test
  void badHttpPortAndUnknownHttpKeyAreRefused() throws IOException {
    assertThat(messageOf(GOOD + "http:\n  port: 70000\n"))
        .isEqualTo(
            "Invalid value \"70000\" for http.port in "
                + dir.resolve("collector.yaml")
                + ": expected an integer from 0 to 65535");
    assertThat(messageOf(GOOD + "http:\n  prot: 9100\n"))
        .startsWith("Unknown key http.prot in " + dir.resolve("collector.yaml"));
  }

  @Test
  void missingKeyNamesFileKeyAndExpectation() throws IOException {
    String msg = messageOf(GOOD.replace("\n  id: edge-1\n", "\n"));

    assertThat(msg)
        .isEqualTo(
            "Missing key collector.id in "
                + dir.resolve("collector.yaml")
                + ": expected the collector's id, part of every point's dedup identity"
                + " (collector_id, source, seq)");
  }

  @Test
  void missingNestedKeyNamesItsListIndex() throws IOException {
    String msg = messageOf(GOOD.replace("\n        tag: state\n", "\n"));

    assertThat(msg)
        .startsWith("Missing key sources[0].nodes[1].tag in " + dir.resolve("collector.yaml"));
  }

  @Test
  void wrongTypeNamesValueKeyAndExpectation() throws IOException {
    String msg = messageOf(GOOD.replace("linger-ms: 5", "linger-ms: fast"));

    assertThat(msg)
        .isEqualTo(
            "Invalid value \"fast\" for kafka.linger-ms in "
                + dir.resolve("collector.yaml")
                + ": expected an integer from 0 to 60000");
  }

  @Test
  void outOfRangeQos() throws IOException {
    String msg = messageOf(GOOD.replace("qos: 1", "qos: -5"));

    assertThat(msg)
        .isEqualTo(
            "Invalid value \"-5\" for sources[1].qos in "
                + dir.resolve("collector.yaml")
                + ": expected 0, 1 or 2");
  }

  @Test
  void subscriptionLifetimeIsReadAndCheckedAgainstItsRange() throws IOException {
    String lifetime = "queue-size: 100\n    subscription-lifetime-ms: ";
    OpcUaSourceConfig o =
        (OpcUaSourceConfig)
            CollectorConfigLoader.load(write(GOOD.replace("queue-size: 100", lifetime + "300000")))
                .sources()
                .get(0);
    assertThat(o.subscriptionLifetimeMs()).isEqualTo(300_000);

    String msg = messageOf(GOOD.replace("queue-size: 100", lifetime + "500"));
    assertThat(msg)
        .isEqualTo(
            "Invalid value \"500\" for sources[0].subscription-lifetime-ms in "
                + dir.resolve("collector.yaml")
                + ": expected an integer from 1000 to 86400000");
  }

  @Test
  void mappingWhereScalarExpected() throws IOException {
    String msg =
        messageOf(GOOD.replace("publishing-interval-ms: 100", "publishing-interval-ms: {a: 1}"));

    assertThat(msg)
        .contains("Invalid value (a mapping) for sources[0].publishing-interval-ms in ")
        .endsWith("expected an integer from 1 to 3600000");
  }

  @Test
  void badEnumListsAllowedValues() throws IOException {
    String msg = messageOf(GOOD.replace("compression: lz4", "compression: brotli"));

    assertThat(msg)
        .isEqualTo(
            "Invalid value \"brotli\" for kafka.compression in "
                + dir.resolve("collector.yaml")
                + ": expected one of none, gzip, snappy, lz4, zstd");
  }

  @Test
  void badSourceType() throws IOException {
    String msg = messageOf(GOOD.replace("type: mqtt", "type: modbus"));

    assertThat(msg)
        .contains("Invalid value \"modbus\" for sources[1].type in ")
        .endsWith(": expected opcua or mqtt");
  }

  @Test
  void unsupportedSecurityPolicySaysWhatWorks() throws IOException {
    String msg = messageOf(GOOD.replace("security-policy: None", "security-policy: Basic128Rsa15"));

    assertThat(msg)
        .contains("Invalid value \"Basic128Rsa15\" for sources[0].security-policy in ")
        .endsWith("expected None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss");
  }

  @Test
  void unknownKeyListsKnownOnes() throws IOException {
    String msg = messageOf(GOOD.replace("linger-ms: 5", "lingerms: 5"));

    assertThat(msg)
        .isEqualTo(
            "Unknown key kafka.lingerms in "
                + dir.resolve("collector.yaml")
                + ": expected one of bootstrap-servers, telemetry-topic, deadletter-topic,"
                + " linger-ms, compression, events-topic, properties");
  }

  @Test
  void unknownKeyInSourceListsTheKeysOfItsType() throws IOException {
    String msg = messageOf(GOOD.replace("clean-session: false", "clean-sesion: false"));

    assertThat(msg)
        .contains("Unknown key sources[1].clean-sesion in ")
        .contains(
            "expected one of name, type, broker, mqtt-version, client-id, qos, clean-session");
  }

  @Test
  void yamlSyntaxErrorGivesLineAndColumn() throws IOException {
    String msg = messageOf("collector:\n  id: edge-1\n kafka: [\n");

    assertThat(msg).startsWith("Invalid YAML in " + dir.resolve("collector.yaml") + " at 3:");
  }

  @Test
  void duplicateKeyIsASyntaxError() throws IOException {
    String msg = messageOf(GOOD.replace("  id: edge-1\n", "  id: edge-1\n  id: edge-2\n"));

    assertThat(msg)
        .startsWith("Invalid YAML in ")
        .contains("at 3:")
        .contains("Duplicate field 'id'");
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    Path file =
        write(GOOD.replace("qos: 1", "qos: 7").replace("compression: lz4", "compression: x"));

    assertThatThrownBy(() -> CollectorConfigLoader.load(file))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).contains("kafka.compression"))
                    .anySatisfy(p -> assertThat(p).contains("sources[1].qos")));
  }

  @Test
  void duplicateSourceNamesAreRefused() throws IOException {
    String msg = messageOf(GOOD.replace("name: mqtt-gw", "name: opcua-plant"));

    assertThat(msg)
        .contains("Invalid value \"opcua-plant\" for sources[1].name in ")
        .endsWith("expected a unique name; sources[0].name has it already");
  }

  @Test
  void nodeIdWithoutNamespaceNeedsNamespaceUri() throws IOException {
    String msg = messageOf(GOOD.replace("\n    namespace-uri: urn:ironlake:simulator\n", "\n"));

    assertThat(msg)
        .contains(
            "Invalid value \"s=plant-sh/assembly/line-1/m01/state\" for sources[0].nodes[1].node-id")
        .endsWith("or set namespace-uri on the source");
  }

  @Test
  void topicPatternMustGiveTheWholePath() throws IOException {
    String msg = messageOf(GOOD.replace("\n        line: line-9\n", "\n"));

    assertThat(msg)
        .contains("Missing key sources[1].topics[1].line in ")
        .endsWith("since the pattern \"legacy/{device}/data\" does not capture {line}");
  }

  @Test
  void badTopicPattern() throws IOException {
    String msg = messageOf(GOOD.replace("legacy/{device}/data", "legacy/#/{device}"));

    assertThat(msg)
        .contains("Invalid value \"legacy/#/{device}\" for sources[1].topics[1].pattern in ")
        .endsWith("'#' must be the last level");
  }

  @Test
  void reservedProducerPropertyIsRefused() throws IOException {
    String msg = messageOf(GOOD.replace("request.timeout.ms: \"20000\"", "acks: \"1\""));

    assertThat(msg).startsWith("Invalid key kafka.properties.acks in ").contains("it sets acks");
  }

  @Test
  void anUnknownMqttVersionIsRefused() throws IOException {
    String msg = messageOf(GOOD.replace("mqtt-version: \"3.1.1\"", "mqtt-version: 4"));

    assertThat(msg)
        .contains("Invalid value \"4\" for sources[1].mqtt-version in ")
        .endsWith("expected \"5\" or \"3.1.1\"");
  }

  @Test
  void emptyFile() throws IOException {
    assertThat(messageOf(""))
        .isEqualTo(
            "Invalid config in "
                + dir.resolve("collector.yaml")
                + ": the file is empty, expected a mapping with the keys collector, kafka and"
                + " sources");
  }

  @Test
  void missingFile() {
    assertThatThrownBy(() -> CollectorConfigLoader.load(dir.resolve("nope.yaml")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("Cannot read config " + dir.resolve("nope.yaml"));
  }

  @Test
  void spoolDefaultsToTheStateFolderAndTakesSizesWithUnits() throws IOException {
    CollectorConfig defaults = CollectorConfigLoader.load(write(GOOD));
    assertThat(defaults.spool())
        .isEqualTo(SpoolConfig.defaults(dir.resolve("collector-state").resolve("spool")));
    assertThat(defaults.spool().maxBytes()).isEqualTo(1L << 30);
    assertThat(defaults.spool().fsync()).isEqualTo(FsyncPolicy.INTERVAL);
    assertThat(defaults.spool().onFull()).isEqualTo(OnFull.BLOCK);

    CollectorConfig c =
        CollectorConfigLoader.load(
            write(
                GOOD
                    + """
                    spool:
                      dir: /var/spool/ironlake
                      max-bytes: 10GiB
                      segment-bytes: "128MiB"
                      fsync: always
                      fsync-interval-ms: 50
                      on-full: drop-oldest
                    """));
    assertThat(c.spool())
        .isEqualTo(
            new SpoolConfig(
                Path.of("/var/spool/ironlake"),
                10L << 30,
                128L << 20,
                FsyncPolicy.ALWAYS,
                50,
                OnFull.DROP_OLDEST));

    CollectorConfig relative =
        CollectorConfigLoader.load(
            write(
                GOOD + "spool:\n  dir: spool-here\n  max-bytes: 2097152\n  segment-bytes: 1MiB\n"));
    assertThat(relative.spool().dir()).isEqualTo(dir.resolve("spool-here"));
    assertThat(relative.spool().maxBytes()).isEqualTo(2 << 20);
    assertThat(relative.spool().segmentBytes()).isEqualTo(1 << 20);
  }

  @Test
  void badSpoolValuesAreRefusedWithKeyAndExpectation() throws IOException {
    String message =
        messageOf(
            GOOD
                + """
                spool:
                  max-bytes: 1 gigabyte
                  segment-bytes: 1KiB
                  fsync: sometimes
                  fsync-interval-ms: 0
                  on-full: panic
                  size: 3
                """);
    String file = dir.resolve("collector.yaml").toString();
    assertThat(message)
        .contains(
            "Invalid value \"1 gigabyte\" for spool.max-bytes in "
                + file
                + ": expected bytes, e.g. 1073741824, 512MiB or 1GiB; at least twice"
                + " segment-bytes",
            "Invalid value \"1KiB\" for spool.segment-bytes in "
                + file
                + ": expected bytes, 1MiB..1GiB",
            "Invalid value \"sometimes\" for spool.fsync in "
                + file
                + ": expected always, interval or never",
            "Invalid value \"0\" for spool.fsync-interval-ms in "
                + file
                + ": expected an integer from 1 to 60000",
            "Invalid value \"panic\" for spool.on-full in "
                + file
                + ": expected block or drop-oldest",
            "Unknown key spool.size in " + file + ": expected one of dir, max-bytes,");

    assertThat(messageOf(GOOD + "spool:\n  max-bytes: 100MiB\n"))
        .contains(
            "Invalid value \"100MiB\" for spool.max-bytes in "
                + file
                + ": expected at least twice spool.segment-bytes (134217728 bytes)");
    assertThat(messageOf(GOOD + "spool:\n  segment-bytes: 1GiB\n"))
        .contains(
            "Invalid default 1GiB for spool.max-bytes in "
                + file
                + ": expected at least twice spool.segment-bytes (2147483648 bytes); set it");
  }

  private static final String BROWSING =
      """
      collector:
        id: edge-1
      kafka:
        bootstrap-servers: 127.0.0.1:9092
        events-topic: plant.events
      sources:
        - name: opcua-plant
          type: opcua
          endpoint: opc.tcp://127.0.0.1:4840/ironlake
          security-policy: None
          mode: poll
          poll-interval-ms: 250
          max-nodes-per-request: 50
          events: true
          namespace-uri: urn:ironlake:simulator
          nodes:
            - node-id: "s=plant-sh/assembly/line-1/m01/power_kw"
              site: plant-sh
              area: assembly
              line: line-1
              device: m01
              tag: power_kw
              deadband-type: absolute
              deadband-value: 0.5
          browse:
            - path: Objects/plant-sh/assembly
              include: "line-.*/m0[1-3]/.*"
              pattern: "{line}/{device}/{tag}"
              site: plant-sh
              area: assembly
              deadband-type: percent
              deadband-value: "2.5"
              max-depth: 4
      """;

  @Test
  void browseDeadbandPollAndEventKeysLoad() throws IOException {
    CollectorConfig c = CollectorConfigLoader.load(write(BROWSING));

    assertThat(c.kafka().eventsTopic()).isEqualTo("plant.events");
    OpcUaSourceConfig o = (OpcUaSourceConfig) c.sources().get(0);
    assertThat(o.mode()).isEqualTo(OpcUaSourceConfig.Mode.POLL);
    assertThat(o.pollIntervalMs()).isEqualTo(250);
    assertThat(o.maxNodesPerRequest()).isEqualTo(50);
    assertThat(o.events()).isEqualTo(OpcUaEvents.SERVER);
    assertThat(o.nodes().get(0).deadband()).isEqualTo(Deadband.absolute(0.5));
    BrowseMapping b = o.browse().get(0);
    assertThat(b.path()).isEqualTo("Objects/plant-sh/assembly");
    assertThat(b.pathBelowObjects()).containsExactly("plant-sh", "assembly");
    assertThat(b.deadband()).isEqualTo(Deadband.percent(2.5));
    assertThat(b.maxDepth()).isEqualTo(4);
    assertThat(b.map("nsu=u;s=x", List.of("line-1", "m02", "power_kw")))
        .contains(
            new NodeMapping(
                "nsu=u;s=x",
                "plant-sh",
                "assembly",
                "line-1",
                "m02",
                "power_kw",
                "",
                Deadband.percent(2.5)));
    assertThat(b.map("nsu=u;s=x", List.of("line-1", "m04", "power_kw"))).isEmpty();
    assertThat(b.map("nsu=u;s=x", List.of("line-1", "m02"))).isEmpty();

    OpcUaSourceConfig defaults =
        (OpcUaSourceConfig) CollectorConfigLoader.load(write(GOOD)).sources().get(0);
    assertThat(defaults.mode()).isEqualTo(OpcUaSourceConfig.Mode.SUBSCRIBE);
    assertThat(defaults.events()).isEqualTo(OpcUaEvents.NONE);
    assertThat(defaults.browse()).isEmpty();
    assertThat(defaults.maxNodesPerRequest()).isEqualTo(1000);
    assertThat(defaults.nodes().get(0).deadband()).isEqualTo(Deadband.NONE);
  }

  @Test
  void badBrowseDeadbandAndModeValuesAreRefused() throws IOException {
    String yaml =
        BROWSING
            .replace("mode: poll", "mode: sometimes")
            .replace("deadband-value: 0.5", "deadband-value: -1")
            .replace("deadband-value: \"2.5\"", "deadband-value: 150")
            .replace("pattern: \"{line}/{device}/{tag}\"", "pattern: \"{line}/{device}/{spot}\"")
            .replace("include: \"line-.*/m0[1-3]/.*\"", "include: \"line-(\"")
            .replace("path: Objects/plant-sh/assembly", "path: Root/plant-sh");
    String message = messageOf(yaml);
    Path file = dir.resolve("collector.yaml");
    assertThat(message)
        .contains(
            "Invalid value \"sometimes\" for sources[0].mode in "
                + file
                + ": expected subscribe or poll")
        .contains(
            "Invalid value \"-1\" for sources[0].nodes[0].deadband-value in "
                + file
                + ": expected a number >= 0")
        .contains(
            "Invalid value \"150\" for sources[0].browse[0].deadband-value in "
                + file
                + ": expected a number from 0 to 100 (percent)")
        .contains(
            "for sources[0].browse[0].pattern in "
                + file
                + ": expected relative path with {site}, {area}, {line}, {device}, {tag}, * and **;"
                + " {spot} is not one of {site}, {area}, {line}, {device}, {tag}")
        .contains("for sources[0].browse[0].include in " + file + ": expected a regular expression")
        .contains(
            "Invalid value \"Root/plant-sh\" for sources[0].browse[0].path in "
                + file
                + ": expected a browse path from the Objects folder");
  }

  @Test
  void browseMustGiveTheWholePathAndNodesOrBrowseIsRequired() throws IOException {
    Path file = dir.resolve("collector.yaml");
    assertThat(
            messageOf(
                BROWSING.replace(
                    "    area: assembly\n        deadband-type: percent",
                    "    deadband-type: percent")))
        .contains(
            "Missing key sources[0].browse[0].area in "
                + file
                + ": expected the area: the pattern does not capture {area}");
    assertThat(
            messageOf(
                BROWSING.replace(
                    "    site: plant-sh\n        area: assembly\n        deadband-type",
                    "    site: plant-sh\n        area: assembly\n        line: line-1\n        deadband-type")))
        .contains(
            "Invalid value \"line-1\" for sources[0].browse[0].line in "
                + file
                + ": expected no value: the pattern captures {line}");
    String noNodes =
        GOOD.substring(0, GOOD.indexOf("    nodes:"))
            + GOOD.substring(GOOD.indexOf("  - name: mqtt-gw"));
    assertThat(messageOf(noNodes))
        .contains(
            "Missing key sources[0].nodes in " + file + ": expected nodes or browse (or both)");
  }

  @Test
  void readmeDocumentsEveryKey() throws IOException {
    String readme = Files.readString(Path.of("README.md"));

    for (ConfigKey key : ConfigKeys.ALL) {
      String def = key.required() ? "**required**" : "`" + key.defaultValue() + "`";
      String row =
          "| `" + key.name() + "` | " + key.type() + " | " + def + " | " + key.doc() + " |";
      assertThat(readme).as("README row of %s in %s", key.name(), key.section()).contains(row);
    }
    assertThat(readme)
        .as("README key tables, generated by ConfigKeys.markdownTables()")
        .contains(ConfigKeys.markdownTables());
  }
}
