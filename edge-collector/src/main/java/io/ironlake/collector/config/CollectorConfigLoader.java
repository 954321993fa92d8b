package io.ironlake.collector.config;

import static io.ironlake.collector.config.ConfigKeys.*;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ironlake.collector.config.internal.ConfigReader;
import io.ironlake.collector.config.internal.ConfigReader.Section;
import io.ironlake.collector.spool.FsyncPolicy;
import io.ironlake.collector.spool.OnFull;
import io.ironlake.collector.spool.SpoolConfig;
import io.ironlake.connectors.kafka.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Loads the collector's YAML file into a {@link CollectorConfig}, refusing it with an {@link
 * InvalidConfigException} that lists every problem (file, key path, expectation).
 *
 * <pre>{@code
 * CollectorConfig config = CollectorConfigLoader.load(Path.of("collector.yaml"));
 * }</pre>
 */
public final class CollectorConfigLoader {
  private static final String ID_REGEX = "[A-Za-z0-9._-]{1,200}";
  private static final String ID_EXPECTED =
      "1 to 200 letters, digits, '.', '_' or '-' (it names files in the state folder)";
  private static final String TOPIC_REGEX = "[A-Za-z0-9._-]{1,249}";
  private static final String TOPIC_EXPECTED = "a Kafka topic name: letters, digits, '.', '_', '-'";
  private static final String SERVERS_REGEX = "[^,\\s:]+:\\d{1,5}(,[^,\\s:]+:\\d{1,5})*";
  private static final String PATH_PART_REGEX = "[^/]+";
  private static final String PATH_PART_EXPECTED = "a non-empty name without '/'";
  private static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy", "lz4", "zstd");

  /** Producer properties the collector sets itself; {@code kafka.properties} may not set them. */
  public static final Set<String> RESERVED_PRODUCER_PROPERTIES =
      Set.of(
          "bootstrap.servers",
          "acks",
          "enable.idempotence",
          "key.serializer",
          "value.serializer",
          "linger.ms",
          "compression.type",
          "transactional.id");

  private CollectorConfigLoader() {}

  /** Loads and checks a YAML file; relative paths in it are relative to its folder. */
  public static CollectorConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidConfigException(
          List.of("Cannot read config " + file.toAbsolutePath() + ": " + e));
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base, file.toAbsolutePath().toString());
  }

  /**
   * Parses and checks YAML text.
   *
   * @param yaml the YAML text
   * @param baseDir the folder relative paths are resolved against
   * @param origin the name used for the text in messages, usually the file's path
   */
  public static CollectorConfig parse(String yaml, Path baseDir, String origin) {
    JsonNode tree;
    try {
      YAMLMapper mapper = new YAMLMapper();
      mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      tree = mapper.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(List.of("Invalid YAML in " + origin + syntaxError(e)));
    }
    ConfigReader r = new ConfigReader(origin);
    CollectorConfig config = read(r, r.root(tree), baseDir);
    if (!r.problems().isEmpty()) {
      throw new InvalidConfigException(r.problems());
    }
    return config;
  }

  /** " at line:column: problem (context)", from SnakeYAML's marks when it has them. */
  private static String syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
      String context = y.getContext() == null ? "" : " (" + y.getContext() + ")";
      return " at "
          + (y.getProblemMark().getLine() + 1)
          + ":"
          + (y.getProblemMark().getColumn() + 1)
          + ": "
          + y.getProblem()
          + context;
    }
    JsonLocation loc = e.getLocation();
    String where = loc == null ? "" : " at " + loc.getLineNr() + ":" + loc.getColumnNr();
    return where + ": " + e.getOriginalMessage().lines().findFirst().orElse("").trim();
  }

  private static CollectorConfig read(ConfigReader r, Section root, Path baseDir) {
    if (root == null) {
      return null;
    }
    root.refuseUnknown(ConfigKeys.of(ROOT));

    Section c = root.section(COLLECTOR_SECTION);
    String id = null;
    Path stateDir = null;
    int blockSize = CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT;
    if (c != null) {
      c.refuseUnknown(ConfigKeys.of(COLLECTOR));
      id = c.matching(COLLECTOR_ID, null, ID_REGEX, ID_EXPECTED);
      String dir = c.string(STATE_DIR, STATE_DIR.defaultValue());
      stateDir = dir == null ? null : baseDir.resolve(dir).normalize();
      blockSize = c.integer(SEQ_BLOCK_SIZE, blockSize, 1, 1_000_000);
    }

    KafkaConfig kafka = readKafka(r, root.section(KAFKA_SECTION));
    SpoolConfig spool = readSpool(r, root, stateDir, baseDir);
    HttpConfig http = readHttp(r, root, baseDir);

    List<SourceConfig> sources = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> clientIds = new HashMap<>();
    for (Section s : root.list(SOURCES)) {
      String name = s.matching(SOURCE_NAME, null, ID_REGEX, ID_EXPECTED);
      if (name != null && names.putIfAbsent(name, s.keyPath(SOURCE_NAME)) != null) {
        r.invalid(
            s.keyPath(SOURCE_NAME),
            s.raw(SOURCE_NAME),
            "a unique name; " + names.get(name) + " has it already");
      }
      String type = s.oneOf(SOURCE_TYPE, null, List.of("opcua", "mqtt"), "opcua or mqtt");
      if ("opcua".equals(type)) {
        s.refuseUnknown(ConfigKeys.of(SOURCE, OPCUA));
        sources.add(readOpcUa(r, s, name, baseDir));
      } else if ("mqtt".equals(type)) {
        s.refuseUnknown(ConfigKeys.of(SOURCE, MQTT));
        MqttSourceConfig m = readMqtt(r, s, name, id, baseDir);
        String other = clientIds.putIfAbsent(m.clientId(), s.keyPath(MQTT_CLIENT_ID));
        if (other != null) {
          r.problem(
              "Invalid value \"" + m.clientId() + "\" for",
              s.keyPath(MQTT_CLIENT_ID),
              "expected a client id no other source uses; "
                  + other
                  + " has it already"
                  + " (the broker would disconnect one of them)");
        }
        sources.add(m);
      }
    }
    if (!r.problems().isEmpty()) {
      return null;
    }
    return new CollectorConfig(id, stateDir, blockSize, kafka, sources, spool, http);
  }

  private static HttpConfig readHttp(ConfigReader r, Section root, Path baseDir) {
    Section h = root.has(HTTP_SECTION) ? root.section(HTTP_SECTION) : null;
    if (h == null) {
      return HttpConfig.defaults();
    }
    h.refuseUnknown(ConfigKeys.of(HTTP));
    String bind =
        h.matching(
            HTTP_BIND,
            HttpConfig.BIND_DEFAULT,
            "[A-Za-z0-9.:_\\[\\]-]{1,255}",
            "an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0");
    int port = h.integer(HTTP_PORT, HttpConfig.PORT_DEFAULT, 0, 65535);
    return new HttpConfig(
        bind == null ? HttpConfig.BIND_DEFAULT : bind,
        port,
        readHttpTls(r, h, baseDir),
        readHttpAuth(r, h, baseDir));
  }

  private static HttpTlsConfig readHttpTls(ConfigReader r, Section h, Path baseDir) {
    if (!h.has(HTTP_CERT_FILE) && !h.has(HTTP_KEY_FILE)) {
      return null;
    }
    if (h.has(HTTP_CERT_FILE) != h.has(HTTP_KEY_FILE)) {
      ConfigKey missing = h.has(HTTP_CERT_FILE) ? HTTP_KEY_FILE : HTTP_CERT_FILE;
      r.problem(
          "Missing key",
          h.keyPath(missing),
          "expected both cert-file and key-file for HTTPS (or neither for plain HTTP)");
      return null;
    }
    Path cert = readableFile(r, h, HTTP_CERT_FILE, h.string(HTTP_CERT_FILE, null), baseDir);
    Path key = readableFile(r, h, HTTP_KEY_FILE, h.string(HTTP_KEY_FILE, null), baseDir);
    return cert == null || key == null ? null : new HttpTlsConfig(cert, key);
  }

  private static HttpAuthConfig readHttpAuth(ConfigReader r, Section h, Path baseDir) {
    String scheme =
        h.oneOf(
            HTTP_AUTH,
            "none",
            List.of("none", HttpAuthConfig.BEARER, HttpAuthConfig.BASIC),
            "none, bearer or basic");
    String envRegex = "[A-Za-z_][A-Za-z0-9_]*";
    String envExpected = "an environment variable name";
    ConfigKey fileKey = HttpAuthConfig.BASIC.equals(scheme) ? HTTP_PASSWORD_FILE : HTTP_TOKEN_FILE;
    ConfigKey envKey = HttpAuthConfig.BASIC.equals(scheme) ? HTTP_PASSWORD_ENV : HTTP_TOKEN_ENV;
    List<ConfigKey> allowed =
        HttpAuthConfig.BASIC.equals(scheme)
            ? List.of(HTTP_USERNAME, HTTP_PASSWORD_FILE, HTTP_PASSWORD_ENV)
            : HttpAuthConfig.BEARER.equals(scheme)
                ? List.of(HTTP_TOKEN_FILE, HTTP_TOKEN_ENV)
                : List.of();
    boolean ok = scheme != null;
    for (ConfigKey k :
        List.of(
            HTTP_TOKEN_FILE,
            HTTP_TOKEN_ENV,
            HTTP_USERNAME,
            HTTP_PASSWORD_FILE,
            HTTP_PASSWORD_ENV)) {
      if (scheme != null && h.has(k) && !allowed.contains(k)) {
        r.invalid(h.keyPath(k), h.raw(k), "no " + k.name() + " with auth " + scheme);
        ok = false;
      }
    }
    if (!ok || "none".equals(scheme)) {
      return null;
    }
    String username = null;
    if (HttpAuthConfig.BASIC.equals(scheme)) {
      username = h.matching(HTTP_USERNAME, null, "[^:\\s]{1,255}", "a user name without ':'");
      if (username == null) {
        if (!h.has(HTTP_USERNAME)) {
          r.problem("Missing key", h.keyPath(HTTP_USERNAME), "expected the user name (auth basic)");
        }
        ok = false;
      }
    }
    String file = h.string(fileKey, null);
    String env = h.matching(envKey, null, envRegex, envExpected);
    if (h.has(fileKey) == h.has(envKey)) {
      r.problem(
          h.has(fileKey) ? "Invalid value" : "Missing key",
          h.keyPath(fileKey),
          "expected exactly one of "
              + fileKey.name()
              + " and "
              + envKey.name()
              + " with auth "
              + scheme);
      return null;
    }
    Path secretFile = null;
    if (file != null) {
      secretFile = readableFile(r, h, fileKey, file, baseDir);
      ok &= secretFile != null;
    } else {
      ok &= env != null;
    }
    return ok ? new HttpAuthConfig(scheme, username, secretFile, env) : null;
  }

  private static Path readableFile(
      ConfigReader r, Section s, ConfigKey key, String value, Path baseDir) {
    if (value == null) {
      return null;
    }
    Path file = baseDir.resolve(value).normalize();
    if (!Files.isReadable(file)) {
      r.invalid(s.keyPath(key), s.raw(key), "a readable file (" + file + " is not)");
      return null;
    }
    return file;
  }

  private static SpoolConfig readSpool(ConfigReader r, Section root, Path stateDir, Path baseDir) {
    Section s = root.has(SPOOL_SECTION) ? root.section(SPOOL_SECTION) : null;
    Path defaultDir =
        stateDir == null ? null : stateDir.resolve(CollectorConfig.DEFAULT_SPOOL_FOLDER);
    if (s == null) {
      return defaultDir == null ? null : SpoolConfig.defaults(defaultDir);
    }
    s.refuseUnknown(ConfigKeys.of(SPOOL));
    String dir = s.string(SPOOL_DIR, null);
    long segment =
        s.bytes(
            SPOOL_SEGMENT_BYTES,
            SpoolConfig.SEGMENT_BYTES_DEFAULT,
            1L << 20, // a dead letter (up to 512 KiB of payload) must fit
            SpoolConfig.SEGMENT_BYTES_MAX);
    long max =
        s.bytes(SPOOL_MAX_BYTES, SpoolConfig.MAX_BYTES_DEFAULT, 1, SpoolConfig.MAX_BYTES_MAX);
    if (max < 2 * segment) {
      String expected = "at least twice spool.segment-bytes (" + 2 * segment + " bytes)";
      if (s.has(SPOOL_MAX_BYTES)) {
        r.invalid(s.keyPath(SPOOL_MAX_BYTES), s.raw(SPOOL_MAX_BYTES), expected);
      } else {
        r.problem(
            "Invalid default " + SPOOL_MAX_BYTES.defaultValue() + " for",
            s.keyPath(SPOOL_MAX_BYTES),
            "expected " + expected + "; set it");
      }
    }
    String fsync =
        s.oneOf(
            SPOOL_FSYNC,
            SpoolConfig.FSYNC_DEFAULT.configName(),
            List.of("always", "interval", "never"),
            "always, interval or never");
    int interval =
        s.integer(SPOOL_FSYNC_INTERVAL_MS, SpoolConfig.FSYNC_INTERVAL_MS_DEFAULT, 1, 60_000);
    String onFull =
        s.oneOf(
            SPOOL_ON_FULL,
            SpoolConfig.ON_FULL_DEFAULT.configName(),
            List.of("block", "drop-oldest"),
            "block or drop-oldest");
    Path spoolDir = dir == null ? defaultDir : baseDir.resolve(dir).normalize();
    if (spoolDir == null || max < 2 * segment) {
      return null;
    }
    return new SpoolConfig(
        spoolDir,
        max,
        segment,
        FsyncPolicy.fromConfigName(fsync),
        interval,
        OnFull.fromConfigName(onFull));
  }

  private static KafkaConfig readKafka(ConfigReader r, Section k) {
    if (k == null) {
      return null;
    }
    k.refuseUnknown(ConfigKeys.of(KAFKA));
    String servers =
        k.matching(
            BOOTSTRAP_SERVERS,
            null,
            SERVERS_REGEX,
            "host:port[,host:port...], e.g. 127.0.0.1:9092");
    String telemetry = k.matching(TELEMETRY_TOPIC, Topics.TELEMETRY, TOPIC_REGEX, TOPIC_EXPECTED);
    String deadletter =
        k.matching(DEADLETTER_TOPIC, Topics.DEADLETTER, TOPIC_REGEX, TOPIC_EXPECTED);
    int linger = k.integer(LINGER_MS, KafkaConfig.LINGER_MS_DEFAULT, 0, 60_000);
    String compression =
        k.oneOf(
            COMPRESSION,
            KafkaConfig.COMPRESSION_DEFAULT,
            COMPRESSIONS,
            "one of " + String.join(", ", COMPRESSIONS));
    Map<String, String> props = k.stringMap(KAFKA_PROPERTIES);
    for (String key : props.keySet()) {
      if (RESERVED_PRODUCER_PROPERTIES.contains(key)) {
        r.problem(
            "Invalid key",
            k.keyPath(KAFKA_PROPERTIES) + "." + key,
            "expected a producer property the collector does not set itself (it sets "
                + String.join(", ", RESERVED_PRODUCER_PROPERTIES.stream().sorted().toList())
                + ")");
      }
    }
    String events = k.matching(EVENTS_TOPIC, Topics.EVENTS, TOPIC_REGEX, TOPIC_EXPECTED);
    if (servers == null) {
      return null;
    }
    return new KafkaConfig(servers, telemetry, deadletter, linger, compression, props, events);
  }

  private static OpcUaSourceConfig readOpcUa(ConfigReader r, Section s, String name, Path baseDir) {
    String endpoint =
        s.matching(
            OPCUA_ENDPOINT,
            null,
            "opc\\.tcp://[^\\s/:]+(:\\d{1,5})?(/.*)?",
            "an opc.tcp://host:port/path URL");
    OpcUaSecurityConfig security = readOpcUaSecurity(r, s, baseDir);
    int publishing =
        s.integer(
            OPCUA_PUBLISHING_INTERVAL_MS,
            OpcUaSourceConfig.PUBLISHING_INTERVAL_MS_DEFAULT,
            1,
            3_600_000);
    int sampling =
        s.integer(
            OPCUA_SAMPLING_INTERVAL_MS,
            OpcUaSourceConfig.SAMPLING_INTERVAL_MS_DEFAULT,
            0,
            3_600_000);
    int queue = s.integer(OPCUA_QUEUE_SIZE, OpcUaSourceConfig.QUEUE_SIZE_DEFAULT, 1, 10_000);
    int lifetime =
        s.integer(
            OPCUA_SUBSCRIPTION_LIFETIME_MS,
            OpcUaSourceConfig.SUBSCRIPTION_LIFETIME_MS_DEFAULT,
            1_000,
            86_400_000);
    int perSub =
        s.integer(
            OPCUA_MAX_ITEMS_PER_SUBSCRIPTION,
            OpcUaSourceConfig.MAX_ITEMS_PER_SUBSCRIPTION_DEFAULT,
            1,
            100_000);
    String nsUri = s.string(OPCUA_NAMESPACE_URI, null);
    int perRequest =
        s.integer(
            OPCUA_MAX_NODES_PER_REQUEST,
            OpcUaSourceConfig.MAX_NODES_PER_REQUEST_DEFAULT,
            1,
            100_000);
    String modeText =
        s.oneOf(OPCUA_MODE, "subscribe", List.of("subscribe", "poll"), "subscribe or poll");
    OpcUaSourceConfig.Mode mode =
        "poll".equals(modeText) ? OpcUaSourceConfig.Mode.POLL : OpcUaSourceConfig.Mode.SUBSCRIBE;
    int pollMs =
        s.integer(
            OPCUA_POLL_INTERVAL_MS, OpcUaSourceConfig.POLL_INTERVAL_MS_DEFAULT, 10, 3_600_000);
    boolean eventsOn = s.bool(OPCUA_EVENTS, false);
    List<String> notifiers = s.strings(OPCUA_EVENT_NOTIFIERS, List.of(OpcUaEvents.SERVER_OBJECT));
    for (String notifier : notifiers) {
      String problem = checkNodeId(notifier, nsUri);
      if (problem != null && !notifier.startsWith("i=")) {
        r.invalid(s.keyPath(OPCUA_EVENT_NOTIFIERS), s.raw(OPCUA_EVENT_NOTIFIERS), problem);
      }
    }
    List<BrowseMapping> browse = readBrowse(r, s);
    if (!s.has(OPCUA_NODES) && !s.has(OPCUA_BROWSE)) {
      r.problem(
          "Missing key",
          s.keyPath(OPCUA_NODES),
          "expected nodes or browse (or both): " + OPCUA_NODES.doc());
    }
    List<NodeMapping> nodes = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Section n : s.list(OPCUA_NODES)) {
      n.refuseUnknown(ConfigKeys.of(NODE));
      String nodeId = n.string(NODE_ID, null);
      if (nodeId != null) {
        String problem = checkNodeId(nodeId, nsUri);
        if (problem != null) {
          r.invalid(n.keyPath(NODE_ID), n.raw(NODE_ID), problem);
        } else if (seen.putIfAbsent(nodeId, n.keyPath(NODE_ID)) != null) {
          r.invalid(
              n.keyPath(NODE_ID),
              n.raw(NODE_ID),
              "each node once; " + seen.get(nodeId) + " has it already");
        }
      }
      String site = n.matching(NODE_SITE, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
      String area = n.matching(NODE_AREA, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
      String line = n.matching(NODE_LINE, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
      String device = n.matching(NODE_DEVICE, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
      String tag = n.matching(NODE_TAG, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
      String unit = n.string(NODE_UNIT, "");
      Deadband deadband = readDeadband(n, NODE_DEADBAND_TYPE, NODE_DEADBAND_VALUE);
      if (nodeId != null
          && site != null
          && area != null
          && line != null
          && device != null
          && tag != null) {
        nodes.add(new NodeMapping(nodeId, site, area, line, device, tag, unit, deadband));
      }
    }
    if (name == null || endpoint == null || security == null) {
      return null;
    }
    return new OpcUaSourceConfig(
        name,
        endpoint,
        security,
        publishing,
        sampling,
        queue,
        perSub,
        nsUri,
        nodes,
        browse,
        mode,
        pollMs,
        perRequest,
        new OpcUaEvents(eventsOn, notifiers),
        lifetime);
  }

  private static List<BrowseMapping> readBrowse(ConfigReader r, Section s) {
    List<BrowseMapping> out = new ArrayList<>();
    if (!s.has(OPCUA_BROWSE)) {
      return out;
    }
    for (Section b : s.list(OPCUA_BROWSE)) {
      b.refuseUnknown(ConfigKeys.of(BROWSE));
      String path =
          b.matching(
              BROWSE_PATH,
              null,
              "Objects(/[^/]+)*",
              "a browse path from the Objects folder, e.g. Objects/plant-sh/assembly");
      java.util.regex.Pattern include = null;
      String includeText = b.string(BROWSE_INCLUDE, null);
      if (includeText != null) {
        try {
          include = java.util.regex.Pattern.compile(includeText);
        } catch (java.util.regex.PatternSyntaxException e) {
          r.invalid(
              b.keyPath(BROWSE_INCLUDE),
              b.raw(BROWSE_INCLUDE),
              "a regular expression: " + e.getDescription());
        }
      }
      BrowsePattern pattern = null;
      String patternText = b.string(BROWSE_PATTERN, null);
      if (patternText != null) {
        try {
          pattern = BrowsePattern.parse(patternText);
        } catch (IllegalArgumentException e) {
          r.invalid(
              b.keyPath(BROWSE_PATTERN),
              b.raw(BROWSE_PATTERN),
              BROWSE_PATTERN.type() + "; " + e.getMessage());
        }
      }
      String[] fixed = new String[4];
      ConfigKey[] keys = {BROWSE_SITE, BROWSE_AREA, BROWSE_LINE, BROWSE_DEVICE};
      boolean complete = pattern != null;
      for (int i = 0; i < keys.length; i++) {
        fixed[i] = b.matching(keys[i], null, PATH_PART_REGEX, PATH_PART_EXPECTED);
        if (pattern == null) {
          continue;
        }
        boolean captured = pattern.captures().contains(keys[i].name());
        if (captured && fixed[i] != null) {
          r.invalid(
              b.keyPath(keys[i]),
              b.raw(keys[i]),
              "no value: the pattern captures {" + keys[i].name() + "}");
          complete = false;
        } else if (!captured && fixed[i] == null && b.raw(keys[i]) == null) {
          r.problem(
              "Missing key",
              b.keyPath(keys[i]),
              "expected the "
                  + keys[i].name()
                  + ": the pattern does not capture {"
                  + keys[i].name()
                  + "}");
          complete = false;
        } else if (!captured && fixed[i] == null) {
          complete = false;
        }
      }
      String unit = b.string(BROWSE_UNIT, "");
      Deadband deadband = readDeadband(b, BROWSE_DEADBAND_TYPE, BROWSE_DEADBAND_VALUE);
      int depth = b.integer(BROWSE_MAX_DEPTH, BrowseMapping.MAX_DEPTH_DEFAULT, 1, 64);
      if (path != null && complete) {
        out.add(
            new BrowseMapping(
                path, include, pattern, fixed[0], fixed[1], fixed[2], fixed[3], unit, deadband,
                depth));
      }
    }
    return out;
  }

  private static Deadband readDeadband(Section n, ConfigKey typeKey, ConfigKey valueKey) {
    String type =
        n.oneOf(
            typeKey, "none", List.of("none", "absolute", "percent"), "none, absolute or percent");
    Deadband.Type t =
        switch (type) {
          case "absolute" -> Deadband.Type.ABSOLUTE;
          case "percent" -> Deadband.Type.PERCENT;
          default -> Deadband.Type.NONE;
        };
    double max = t == Deadband.Type.PERCENT ? 100 : Double.MAX_VALUE;
    double value =
        n.number(
            valueKey,
            0,
            0,
            max,
            t == Deadband.Type.PERCENT ? "a number from 0 to 100 (percent)" : "a number >= 0");
    if (t != Deadband.Type.NONE && !n.has(valueKey)) {
      n.number(valueKey, 0, 0, max, "a number");
    }
    return new Deadband(t, value);
  }

  /** The security keys of an opcua source; null when one of them is wrong (reported). */
  private static OpcUaSecurityConfig readOpcUaSecurity(ConfigReader r, Section s, Path baseDir) {
    String policy =
        s.oneOf(
            OPCUA_SECURITY_POLICY,
            null,
            OpcUaSecurityConfig.POLICIES,
            String.join(", ", OpcUaSecurityConfig.POLICIES));
    String mode =
        s.oneOf(
            OPCUA_SECURITY_MODE,
            policy == null ? null : OpcUaSecurityConfig.defaultMode(policy),
            OpcUaSecurityConfig.MODES,
            "None, Sign or SignAndEncrypt");
    boolean ok = policy != null && mode != null;
    if (ok && OpcUaSecurityConfig.POLICY_NONE.equals(policy) != "None".equals(mode)) {
      r.invalid(
          s.keyPath(OPCUA_SECURITY_MODE),
          s.raw(OPCUA_SECURITY_MODE),
          OpcUaSecurityConfig.POLICY_NONE.equals(policy)
              ? "None with security-policy None (Sign and SignAndEncrypt need another policy)"
              : "Sign or SignAndEncrypt with security-policy " + policy);
      ok = false;
    }
    String kind =
        s.oneOf(
            OPCUA_IDENTITY,
            "anonymous",
            List.of("anonymous", "username", "x509"),
            "anonymous," + " username or x509");
    String username = s.string(OPCUA_USERNAME, null);
    String passwordFile = s.string(OPCUA_PASSWORD_FILE, null);
    String passwordEnv =
        s.matching(
            OPCUA_PASSWORD_ENV, null, "[A-Za-z_][A-Za-z0-9_]*", "an environment variable name");
    String userCert = s.string(OPCUA_USER_CERTIFICATE, null);
    String userKey = s.string(OPCUA_USER_PRIVATE_KEY, null);
    boolean trustUnknown = s.bool(OPCUA_TRUST_UNKNOWN_SERVERS, false);
    OpcUaIdentity identity = null;
    if ("anonymous".equals(kind)) {
      identity = OpcUaIdentity.ANONYMOUS;
      for (ConfigKey k :
          List.of(
              OPCUA_USERNAME,
              OPCUA_PASSWORD_FILE,
              OPCUA_PASSWORD_ENV,
              OPCUA_USER_CERTIFICATE,
              OPCUA_USER_PRIVATE_KEY)) {
        if (s.has(k)) {
          r.invalid(s.keyPath(k), s.raw(k), "no " + k.name() + " with identity anonymous");
          ok = false;
        }
      }
    } else if ("username".equals(kind)) {
      if (username == null || username.isEmpty()) {
        r.problem(
            "Missing key", s.keyPath(OPCUA_USERNAME), "expected the user name (identity username)");
        ok = false;
      }
      Path file = passwordFile == null ? null : baseDir.resolve(passwordFile).normalize();
      if ((passwordFile == null) == (passwordEnv == null)) {
        r.problem(
            passwordFile == null ? "Missing key" : "Invalid value",
            s.keyPath(OPCUA_PASSWORD_FILE),
            "expected exactly one of password-file and password-env with identity username");
        ok = false;
      } else if (file != null && !Files.isReadable(file)) {
        r.invalid(
            s.keyPath(OPCUA_PASSWORD_FILE),
            s.raw(OPCUA_PASSWORD_FILE),
            "a readable file (" + file + " is not)");
        ok = false;
      }
      if (ok) {
        identity = new OpcUaIdentity.UserPassword(username, file, passwordEnv);
      }
    } else if ("x509".equals(kind)) {
      Path cert = readableFile(r, s, OPCUA_USER_CERTIFICATE, userCert, baseDir, "x509");
      Path key = readableFile(r, s, OPCUA_USER_PRIVATE_KEY, userKey, baseDir, "x509");
      if (cert != null && key != null) {
        identity = new OpcUaIdentity.X509(cert, key);
      } else {
        ok = false;
      }
    }
    if (!ok || identity == null) {
      return null;
    }
    return new OpcUaSecurityConfig(policy, mode, identity, trustUnknown);
  }

  private static Path readableFile(
      ConfigReader r, Section s, ConfigKey key, String value, Path baseDir, String identity) {
    if (value == null) {
      r.problem("Missing key", s.keyPath(key), "expected " + key.doc());
      return null;
    }
    Path file = baseDir.resolve(value).normalize();
    if (!Files.isReadable(file)) {
      r.invalid(s.keyPath(key), s.raw(key), "a readable file (" + file + " is not)");
      return null;
    }
    return file;
  }

  /** Why a node id cannot be used, or {@code null} when it can. */
  private static String checkNodeId(String nodeId, String namespaceUri) {
    String full;
    if (nodeId.startsWith("ns=") || nodeId.startsWith("nsu=")) {
      full = nodeId;
    } else if (nodeId.matches("[sigb]=.*")) {
      if (namespaceUri == null) {
        return "ns=<index>;"
            + nodeId
            + " or nsu=<uri>;"
            + nodeId
            + ", or set namespace-uri on the source";
      }
      full = "nsu=" + namespaceUri + ";" + nodeId;
    } else {
      return "a node id such as nsu=urn:example;s=line-1/m01/power_kw, ns=2;i=1001 or, with"
          + " namespace-uri, s=line-1/m01/power_kw";
    }
    try {
      ExpandedNodeId.parse(full);
      return null;
    } catch (RuntimeException e) {
      return "a node id such as nsu=urn:example;s=line-1/m01/power_kw or ns=2;i=1001 ("
          + e.getMessage()
          + ")";
    }
  }

  private static MqttSourceConfig readMqtt(
      ConfigReader r, Section s, String name, String collectorId, Path baseDir) {
    String broker =
        s.matching(
            MQTT_BROKER,
            null,
            "(tcp|ssl|ws|wss)://[^\\s/]+(/.*)?",
            "a tcp://host:port or ssl://host:port URL");
    String version =
        s.oneOf(
            MQTT_VERSION,
            MqttSourceConfig.MQTT_VERSION_DEFAULT,
            List.of(MqttSourceConfig.MQTT_5, MqttSourceConfig.MQTT_3_1_1),
            "\"5\" or \"3.1.1\"");
    String clientId =
        s.matching(
            MQTT_CLIENT_ID,
            "ironlake-" + collectorId + "-" + name,
            "\\S{1,65535}",
            "a client id without spaces");
    int qos = s.integer(MQTT_QOS, MqttSourceConfig.QOS_DEFAULT, 0, 2, "0, 1 or 2");
    boolean clean = s.bool(MQTT_CLEAN_SESSION, false);
    long expiry =
        s.integer(
            MQTT_SESSION_EXPIRY_S,
            (int) MqttSourceConfig.SESSION_EXPIRY_S_DEFAULT,
            0,
            Integer.MAX_VALUE);
    int keepAlive = s.integer(MQTT_KEEP_ALIVE_S, MqttSourceConfig.KEEP_ALIVE_S_DEFAULT, 1, 3600);
    int maxPayload =
        s.integer(
            MQTT_MAX_PAYLOAD_BYTES, MqttSourceConfig.MAX_PAYLOAD_BYTES_DEFAULT, 1, 268_435_455);
    String sharedGroup =
        s.matching(
            MQTT_SHARED_GROUP, null, "[^/+#\\s]{1,200}", "a group name without '/', '+', '#'");
    String hostId =
        s.matching(
            MQTT_SPARKPLUG_HOST_ID, null, "[^/+#\\s]{1,200}", "a host id without '/', '+', '#'");
    if (hostId != null && !clean) {
      r.problem(
          "Invalid key",
          s.keyPath(MQTT_CLEAN_SESSION),
          "expected clean-session: true with sparkplug-host-id (a Sparkplug host connects with a"
              + " clean session; its edge nodes hold their data while it is away)");
    }
    if (hostId != null && sharedGroup != null) {
      r.problem(
          "Invalid keys",
          s.keyPath(MQTT_SPARKPLUG_HOST_ID) + " and " + s.keyPath(MQTT_SHARED_GROUP),
          "expected at most one of them: one primary host, not a group of collectors");
    }
    MqttAuthConfig auth = readAuth(r, s, baseDir);
    MqttTlsConfig tls = readTls(r, s, broker, baseDir);
    List<TopicMapping> topics = new ArrayList<>();
    for (Section t : s.list(MQTT_TOPICS)) {
      t.refuseUnknown(ConfigKeys.of(TOPIC));
      TopicMapping topic = readTopic(r, t);
      if (topic != null) {
        topics.add(topic);
      }
    }
    if (name == null || broker == null) {
      name = "?";
      broker = "?";
    }
    return new MqttSourceConfig(
        name,
        broker,
        version,
        clientId,
        qos,
        clean,
        expiry,
        keepAlive,
        maxPayload,
        sharedGroup,
        auth,
        tls,
        topics,
        hostId);
  }

  private static MqttAuthConfig readAuth(ConfigReader r, Section s, Path baseDir) {
    String username = s.string(MQTT_USERNAME, null);
    String file = s.string(MQTT_PASSWORD_FILE, null);
    String env = s.matching(MQTT_PASSWORD_ENV, null, "[A-Za-z_][A-Za-z0-9_]*", "a variable name");
    if (file != null && env != null) {
      r.problem(
          "Invalid keys",
          s.keyPath(MQTT_PASSWORD_FILE) + " and " + s.keyPath(MQTT_PASSWORD_ENV),
          "expected at most one of them, the password comes from one place");
    }
    if (username == null) {
      if (file != null || env != null) {
        r.problem(
            "Missing key",
            s.keyPath(MQTT_USERNAME),
            "expected the user name that goes with the password");
      }
      return null;
    }
    Path passwordFile = null;
    if (file != null) {
      passwordFile = baseDir.resolve(file).normalize();
      if (!Files.isReadable(passwordFile)) {
        r.invalid(s.keyPath(MQTT_PASSWORD_FILE), s.raw(MQTT_PASSWORD_FILE), "a readable file");
      }
    }
    if (env != null && System.getenv(env) == null) {
      r.invalid(
          s.keyPath(MQTT_PASSWORD_ENV),
          s.raw(MQTT_PASSWORD_ENV),
          "an environment variable that is set (it is not)");
    }
    return new MqttAuthConfig(username, passwordFile, env);
  }

  private static MqttTlsConfig readTls(ConfigReader r, Section s, String broker, Path baseDir) {
    boolean any =
        s.has(MQTT_CA_FILE)
            || s.has(MQTT_CERT_FILE)
            || s.has(MQTT_KEY_FILE)
            || s.has(MQTT_VERIFY_HOSTNAME);
    boolean ssl = broker != null && (broker.startsWith("ssl://") || broker.startsWith("wss://"));
    Path ca = pemFile(r, s, MQTT_CA_FILE, baseDir);
    Path cert = pemFile(r, s, MQTT_CERT_FILE, baseDir);
    Path key = pemFile(r, s, MQTT_KEY_FILE, baseDir);
    boolean verify = s.bool(MQTT_VERIFY_HOSTNAME, true);
    if (any && broker != null && !ssl) {
      r.problem(
          "Invalid TLS keys for",
          s.keyPath(MQTT_BROKER),
          "expected an ssl:// broker URL when ca-file, cert-file, key-file or verify-hostname"
              + " is set (got "
              + broker
              + ")");
    }
    if (s.has(MQTT_CERT_FILE) != s.has(MQTT_KEY_FILE)) {
      r.problem(
          "Missing key",
          s.keyPath(s.has(MQTT_CERT_FILE) ? MQTT_KEY_FILE : MQTT_CERT_FILE),
          "expected cert-file and key-file together (a client certificate needs its key)");
    }
    return ssl ? new MqttTlsConfig(ca, cert, key, verify) : null;
  }

  private static Path pemFile(ConfigReader r, Section s, ConfigKey key, Path baseDir) {
    String file = s.string(key, null);
    if (file == null) {
      return null;
    }
    Path p = baseDir.resolve(file).normalize();
    if (!Files.isReadable(p)) {
      r.invalid(s.keyPath(key), s.raw(key), "a readable PEM file");
    }
    return p;
  }

  private static TopicMapping readTopic(ConfigReader r, Section t) {
    String format =
        t.oneOf(
            TOPIC_FORMAT,
            TopicMapping.FORMAT_JSON,
            TopicMapping.FORMATS,
            "json, plain or sparkplug-b");
    boolean sparkplug = TopicMapping.FORMAT_SPARKPLUG_B.equals(format);
    String pattern = t.string(TOPIC_PATTERN, null);
    Set<String> captured = new HashSet<>();
    if (pattern != null) {
      try {
        captured.addAll(TopicPattern.parse(pattern).captures());
        if (captured.contains("tag") && !TopicMapping.FORMAT_PLAIN.equals(format)) {
          throw new IllegalArgumentException("{tag} is only for format plain");
        }
        if (sparkplug && !captured.isEmpty()) {
          throw new IllegalArgumentException(
              "sparkplug-b takes the path from the Sparkplug topic, so no {name} captures");
        }
        if (sparkplug && !pattern.startsWith("spBv1.0/")) {
          throw new IllegalArgumentException("sparkplug-b topics start with spBv1.0/");
        }
      } catch (IllegalArgumentException e) {
        r.invalid(
            t.keyPath(TOPIC_PATTERN),
            t.raw(TOPIC_PATTERN),
            "an MQTT topic pattern with {site}, {area}, {line}, {device}, + and a final #: "
                + e.getMessage());
        pattern = null;
      }
    }
    String layout =
        t.oneOf(
            TOPIC_JSON_LAYOUT,
            TopicMapping.LAYOUT_VALUES,
            List.of(TopicMapping.LAYOUT_VALUES, TopicMapping.LAYOUT_FLAT),
            "values or flat");
    String tsField = t.matching(TOPIC_TS_FIELD, TopicMapping.TS_FIELD_DEFAULT, ".+", "a key");
    String tsFormat =
        t.oneOf(
            TOPIC_TS_FORMAT,
            TopicMapping.TS_EPOCH_MS,
            TopicMapping.TS_FORMATS,
            "epoch-ms, epoch-s, epoch-us or iso-8601");
    Map<String, String> units = t.stringMap(TOPIC_UNITS);
    String site;
    String area;
    String line;
    String device;
    String tag = null;
    if (sparkplug) {
      site = t.matching(TOPIC_SITE, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
      area = t.matching(TOPIC_AREA, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
      line = t.matching(TOPIC_LINE, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
      device = null;
      if (t.has(TOPIC_DEVICE) || t.has(TOPIC_TAG)) {
        r.problem(
            "Invalid key",
            t.keyPath(t.has(TOPIC_DEVICE) ? TOPIC_DEVICE : TOPIC_TAG),
            "expected none for sparkplug-b: devices and metric names come from the messages");
      }
      if (area == null && !t.has(TOPIC_AREA)) {
        r.problem(
            "Missing key",
            t.keyPath(TOPIC_AREA),
            "expected the ISA-95 area of the Sparkplug points (the topic has none)");
      }
    } else {
      site = fixed(r, t, TOPIC_SITE, captured, pattern);
      area = fixed(r, t, TOPIC_AREA, captured, pattern);
      line = fixed(r, t, TOPIC_LINE, captured, pattern);
      device = fixed(r, t, TOPIC_DEVICE, captured, pattern);
      if (TopicMapping.FORMAT_PLAIN.equals(format)) {
        tag = fixed(r, t, TOPIC_TAG, captured, pattern);
      } else if (t.has(TOPIC_TAG)) {
        r.problem(
            "Invalid key",
            t.keyPath(TOPIC_TAG),
            "expected none for " + format + ": the tags come from the payload");
      }
    }
    if (pattern == null || format == null) {
      return null;
    }
    return new TopicMapping(
        pattern, format, units, site, area, line, device, tag, layout, tsField, tsFormat);
  }

  /** A fixed path part of a topic: exactly one of the pattern and the key must give it. */
  private static String fixed(
      ConfigReader r, Section t, ConfigKey key, Set<String> captured, String pattern) {
    String value = t.matching(key, null, PATH_PART_REGEX, PATH_PART_EXPECTED);
    if (pattern == null) {
      return value;
    }
    boolean inPattern = captured.contains(key.name());
    if (inPattern && t.has(key)) {
      r.invalid(
          t.keyPath(key),
          t.raw(key),
          "no value: the pattern captures {" + key.name() + "} already");
    } else if (!inPattern && !t.has(key)) {
      r.problem(
          "Missing key",
          t.keyPath(key),
          "expected the "
              + key.name()
              + " of the topic's points, since the pattern \""
              + pattern
              + "\" does not capture {"
              + key.name()
              + "}");
    }
    return value;
  }
}
