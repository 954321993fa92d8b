package io.ironlake.collector.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every key of the collector's YAML file, in one place: the loader reads exactly these, and the
 * README documents exactly these (a test checks it).
 */
public final class ConfigKeys {
  /** The {@code collector} mapping. */
  public static final String COLLECTOR = "collector";

  /** The {@code kafka} mapping. */
  public static final String KAFKA = "kafka";

  /** The {@code spool} mapping. */
  public static final String SPOOL = "spool";

  /** The {@code http} mapping. */
  public static final String HTTP = "http";

  /** The top level of the file. */
  public static final String ROOT = "(top level)";

  /** Keys every entry of {@code sources} has. */
  public static final String SOURCE = "sources[]";

  /** Keys of a {@code sources} entry with {@code type: opcua}. */
  public static final String OPCUA = "sources[] (type: opcua)";

  /** Keys of an entry of an OPC UA source's {@code nodes}. */
  public static final String NODE = "sources[].nodes[]";

  /** Keys of an entry of an OPC UA source's {@code browse}. */
  public static final String BROWSE = "sources[].browse[]";

  /** Keys of a {@code sources} entry with {@code type: mqtt}. */
  public static final String MQTT = "sources[] (type: mqtt)";

  /** Keys of an entry of an MQTT source's {@code topics}. */
  public static final String TOPIC = "sources[].topics[]";

  public static final ConfigKey COLLECTOR_SECTION =
      new ConfigKey(ROOT, "collector", "mapping", null, "the collector's identity and state");
  public static final ConfigKey KAFKA_SECTION =
      new ConfigKey(ROOT, "kafka", "mapping", null, "where the collector publishes");
  public static final ConfigKey SOURCES =
      new ConfigKey(
          ROOT, "sources", "list of mappings, at least one", null, "the sources to read from");
  public static final ConfigKey SPOOL_SECTION =
      new ConfigKey(
          ROOT,
          "spool",
          "mapping",
          "(all defaults)",
          "the on-disk spool that keeps every point read until Kafka has it");
  public static final ConfigKey HTTP_SECTION =
      new ConfigKey(
          ROOT,
          "http",
          "mapping",
          "(all defaults)",
          "the operations endpoint: /health/live, /health/ready and /metrics (Prometheus)");

  public static final ConfigKey COLLECTOR_ID =
      new ConfigKey(
          COLLECTOR,
          "id",
          "string of letters, digits, '.', '_', '-'",
          null,
          "the collector's id, part of every point's dedup identity (collector_id, source, seq)");
  public static final ConfigKey STATE_DIR =
      new ConfigKey(
          COLLECTOR,
          "state-dir",
          "path",
          "./collector-state",
          "the folder where sequence counters survive restarts, relative to the config file's"
              + " folder; one collector at a time may use it");
  public static final ConfigKey SEQ_BLOCK_SIZE =
      new ConfigKey(
          COLLECTOR,
          "seq-block-size",
          "integer 1..1000000",
          "10000",
          "how many sequence numbers one durable write reserves; after a crash the numbering"
              + " skips at most this many");

  public static final ConfigKey BOOTSTRAP_SERVERS =
      new ConfigKey(
          KAFKA,
          "bootstrap-servers",
          "host:port[,host:port...]",
          null,
          "the Kafka brokers to publish to, as host:port[,host:port...]");
  public static final ConfigKey TELEMETRY_TOPIC =
      new ConfigKey(KAFKA, "telemetry-topic", "topic name", "telemetry.v1", "the telemetry topic");
  public static final ConfigKey DEADLETTER_TOPIC =
      new ConfigKey(
          KAFKA,
          "deadletter-topic",
          "topic name",
          "deadletter.v1",
          "the topic for input that could not become points");
  public static final ConfigKey LINGER_MS =
      new ConfigKey(
          KAFKA,
          "linger-ms",
          "integer 0..60000",
          "5",
          "how long the producer waits to fill a batch (Kafka linger.ms)");
  public static final ConfigKey COMPRESSION =
      new ConfigKey(
          KAFKA,
          "compression",
          "none, gzip, snappy, lz4 or zstd",
          "snappy",
          "the producer's batch compression (Kafka compression.type); the default is lz4 where the"
              + " jar has no native snappy (other than Linux on x86-64 or aarch64)");
  public static final ConfigKey EVENTS_TOPIC =
      new ConfigKey(
          KAFKA,
          "events-topic",
          "topic name",
          "events.v1",
          "the topic for OPC UA events and alarms (JSON, keyed by the event's source node)");
  public static final ConfigKey KAFKA_PROPERTIES =
      new ConfigKey(
          KAFKA,
          "properties",
          "mapping of string to string",
          "{}",
          "extra Kafka producer properties, e.g. security.protocol; acks, enable.idempotence,"
              + " the serializers and the keys above cannot be set here");

  public static final ConfigKey SPOOL_DIR =
      new ConfigKey(
          SPOOL,
          "dir",
          "path",
          "<state-dir>/spool",
          "the folder of the spool's segment files and cursor, relative to the config file's"
              + " folder; one collector at a time may use it");
  public static final ConfigKey SPOOL_MAX_BYTES =
      new ConfigKey(
          SPOOL,
          "max-bytes",
          "bytes, e.g. 1073741824, 512MiB or 1GiB; at least twice segment-bytes",
          "1GiB",
          "the most disk the segment files may take; when full, on-full decides");
  public static final ConfigKey SPOOL_SEGMENT_BYTES =
      new ConfigKey(
          SPOOL,
          "segment-bytes",
          "bytes, 1MiB..1GiB",
          "64MiB",
          "the size at which a segment file is closed and the next one started (forcing and"
              + " closing the old one happen in the background, not while a source waits); a"
              + " segment is deleted whole, in the background, once Kafka has all of it");
  public static final ConfigKey SPOOL_FSYNC =
      new ConfigKey(
          SPOOL,
          "fsync",
          "always, interval or never",
          "interval",
          "when spooled data is forced to disk: always (before the source is acknowledged),"
              + " interval (every fsync-interval-ms) or never (left to the OS); all three survive"
              + " a crash of the collector, only always survives a power loss without losing"
              + " acknowledged points");
  public static final ConfigKey SPOOL_FSYNC_INTERVAL_MS =
      new ConfigKey(
          SPOOL,
          "fsync-interval-ms",
          "integer 1..60000",
          "100",
          "how often fsync: interval forces the spool to disk; also how often always forces"
              + " the cursor, and how often never closes rolled segments and deletes sent ones");
  public static final ConfigKey SPOOL_ON_FULL =
      new ConfigKey(
          SPOOL,
          "on-full",
          "block or drop-oldest",
          "block",
          "what happens when the spool is full: block (sources wait and are not acknowledged:"
              + " back-pressure) or drop-oldest (the oldest segment is deleted; its points are"
              + " counted, logged at ERROR and their seq ranges written to dropped.jsonl)");

  public static final ConfigKey HTTP_BIND =
      new ConfigKey(
          HTTP,
          "bind",
          "IP address or host name",
          "127.0.0.1",
          "the address the endpoint listens on; 0.0.0.0 for every interface (then set auth,"
              + " and cert-file/key-file unless the network is trusted)");
  public static final ConfigKey HTTP_PORT =
      new ConfigKey(
          HTTP, "port", "integer 0..65535", "9464", "the TCP port of the endpoint; 0 turns it off");
  public static final ConfigKey HTTP_CERT_FILE =
      new ConfigKey(
          HTTP,
          "cert-file",
          "path to a PEM file",
          "(none: plain HTTP)",
          "serve HTTPS only, presenting this server certificate (chain, leaf first), relative to"
              + " the config file's folder; needs key-file");
  public static final ConfigKey HTTP_KEY_FILE =
      new ConfigKey(
          HTTP,
          "key-file",
          "path to a PEM file",
          "(none)",
          "the unencrypted private key of cert-file (PKCS#8, PKCS#1 or SEC1); needs cert-file");
  public static final ConfigKey HTTP_AUTH =
      new ConfigKey(
          HTTP,
          "auth",
          "none, bearer or basic",
          "none",
          "who may read /health/ready and /metrics: anyone (none), a client sending"
              + " Authorization: Bearer <token> (bearer, with token-file or token-env) or a user"
              + " name and password (basic, with username and password-file or password-env);"
              + " /health/live never asks, for liveness probes");
  public static final ConfigKey HTTP_TOKEN_FILE =
      new ConfigKey(
          HTTP,
          "token-file",
          "path",
          "(none)",
          "auth: bearer: a file holding the token (a trailing line break is ignored), relative to"
              + " the config file's folder, read at start; the token is never logged");
  public static final ConfigKey HTTP_TOKEN_ENV =
      new ConfigKey(
          HTTP,
          "token-env",
          "environment variable name",
          "(none)",
          "auth: bearer: the environment variable holding the token, instead of token-file");
  public static final ConfigKey HTTP_USERNAME =
      new ConfigKey(HTTP, "username", "string without ':'", "(none)", "auth: basic: the user name");
  public static final ConfigKey HTTP_PASSWORD_FILE =
      new ConfigKey(
          HTTP,
          "password-file",
          "path",
          "(none)",
          "auth: basic: a file holding the password (a trailing line break is ignored), relative"
              + " to the config file's folder, read at start; the password is never logged");
  public static final ConfigKey HTTP_PASSWORD_ENV =
      new ConfigKey(
          HTTP,
          "password-env",
          "environment variable name",
          "(none)",
          "auth: basic: the environment variable holding the password, instead of password-file");

  public static final ConfigKey SOURCE_NAME =
      new ConfigKey(
          SOURCE,
          "name",
          "string of letters, digits, '.', '_', '-', unique",
          null,
          "the source's name, part of every point's dedup identity");
  public static final ConfigKey SOURCE_TYPE =
      new ConfigKey(SOURCE, "type", "opcua or mqtt", null, "the source's protocol, opcua or mqtt");

  public static final ConfigKey OPCUA_ENDPOINT =
      new ConfigKey(OPCUA, "endpoint", "opc.tcp:// URL", null, "the OPC UA server's endpoint URL");
  public static final ConfigKey OPCUA_SECURITY_POLICY =
      new ConfigKey(
          OPCUA,
          "security-policy",
          "None, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss",
          null,
          "the OPC UA security policy of the endpoint; None signs and encrypts nothing (for"
              + " simulators), set explicitly so nobody runs unencrypted by accident");
  public static final ConfigKey OPCUA_SECURITY_MODE =
      new ConfigKey(
          OPCUA,
          "security-mode",
          "None, Sign or SignAndEncrypt",
          "SignAndEncrypt (None with policy None)",
          "the message security mode; None goes only with policy None");
  public static final ConfigKey OPCUA_IDENTITY =
      new ConfigKey(
          OPCUA,
          "identity",
          "anonymous, username or x509",
          "anonymous",
          "who the collector logs in as: nobody, username with password-file or password-env,"
              + " or an X.509 user certificate");
  public static final ConfigKey OPCUA_USERNAME =
      new ConfigKey(
          OPCUA, "username", "string", "(none)", "the user name; required with identity username");
  public static final ConfigKey OPCUA_PASSWORD_FILE =
      new ConfigKey(
          OPCUA,
          "password-file",
          "path to a readable file",
          "(none)",
          "a file whose first line is the password, relative to the config file's folder; read"
              + " at every connect; with identity username, this or password-env");
  public static final ConfigKey OPCUA_PASSWORD_ENV =
      new ConfigKey(
          OPCUA,
          "password-env",
          "environment variable name",
          "(none)",
          "the environment variable holding the password; with identity username, this or"
              + " password-file");
  public static final ConfigKey OPCUA_USER_CERTIFICATE =
      new ConfigKey(
          OPCUA,
          "user-certificate",
          "path to a PEM or DER certificate",
          "(none)",
          "the X.509 user certificate, relative to the config file's folder; required with"
              + " identity x509");
  public static final ConfigKey OPCUA_USER_PRIVATE_KEY =
      new ConfigKey(
          OPCUA,
          "user-private-key",
          "path to an unencrypted PKCS#8 PEM or DER key",
          "(none)",
          "the private key of user-certificate; required with identity x509");
  public static final ConfigKey OPCUA_TRUST_UNKNOWN_SERVERS =
      new ConfigKey(
          OPCUA,
          "trust-unknown-servers",
          "true or false",
          "false",
          "whether a server certificate not in <state-dir>/pki/trusted is trusted on first use"
              + " (written to trusted/) instead of refused (written to rejected/)");
  public static final ConfigKey OPCUA_PUBLISHING_INTERVAL_MS =
      new ConfigKey(
          OPCUA,
          "publishing-interval-ms",
          "integer 1..3600000",
          "100",
          "how often the server sends the queued changes");
  public static final ConfigKey OPCUA_SAMPLING_INTERVAL_MS =
      new ConfigKey(
          OPCUA,
          "sampling-interval-ms",
          "integer 0..3600000",
          "0",
          "how often the server samples each node; 0 means as fast as it can or on change");
  public static final ConfigKey OPCUA_QUEUE_SIZE =
      new ConfigKey(
          OPCUA,
          "queue-size",
          "integer 1..10000",
          "100",
          "how many changes per node the server queues between publishes before it drops the"
              + " oldest");
  public static final ConfigKey OPCUA_SUBSCRIPTION_LIFETIME_MS =
      new ConfigKey(
          OPCUA,
          "subscription-lifetime-ms",
          "integer 1000..86400000",
          "60000",
          "how long the server keeps a subscription, and the changes queued in it (up to"
              + " queue-size per node), while the collector cannot reach it; a connection back"
              + " within it loses nothing, a longer outage loses the changes made meanwhile (the"
              + " subscription is created again); the server may revise it");
  public static final ConfigKey OPCUA_MAX_ITEMS_PER_SUBSCRIPTION =
      new ConfigKey(
          OPCUA,
          "max-items-per-subscription",
          "integer 1..100000",
          "1000",
          "how many nodes one subscription holds; more nodes get more subscriptions");
  public static final ConfigKey OPCUA_NAMESPACE_URI =
      new ConfigKey(
          OPCUA,
          "namespace-uri",
          "URI",
          "(none)",
          "the namespace of node ids written without ns= or nsu=, e.g. s=plant/line-1/m01/power");
  public static final ConfigKey OPCUA_MAX_NODES_PER_REQUEST =
      new ConfigKey(
          OPCUA,
          "max-nodes-per-request",
          "integer 1..100000",
          "1000",
          "the most nodes one Browse, Read or CreateMonitoredItems request carries; the server's"
              + " OperationLimits (MaxNodesPerBrowse, MaxNodesPerRead, MaxMonitoredItemsPerCall)"
              + " lower it");
  public static final ConfigKey OPCUA_MODE =
      new ConfigKey(
          OPCUA,
          "mode",
          "subscribe or poll",
          "subscribe",
          "subscribe (monitored items, the server reports changes) or poll (a batched Read of"
              + " every node each poll-interval-ms, for servers without subscriptions; unchanged"
              + " values are skipped)");
  public static final ConfigKey OPCUA_POLL_INTERVAL_MS =
      new ConfigKey(
          OPCUA,
          "poll-interval-ms",
          "integer 10..3600000",
          "1000",
          "how often mode: poll reads every node");
  public static final ConfigKey OPCUA_EVENTS =
      new ConfigKey(
          OPCUA,
          "events",
          "true or false",
          "false",
          "whether OPC UA events and alarms (conditions) are read too; each becomes a JSON record"
              + " on kafka.events-topic, and every new event subscription asks for a"
              + " ConditionRefresh (conditions active before it are sent again)");
  public static final ConfigKey OPCUA_EVENT_NOTIFIERS =
      new ConfigKey(
          OPCUA,
          "event-notifiers",
          "list of node ids",
          "[i=2253]",
          "the objects whose events are read; the Server object i=2253 reports every event");
  public static final ConfigKey OPCUA_NODES =
      new ConfigKey(
          OPCUA,
          "nodes",
          "list of mappings",
          "[]",
          "the nodes to read, each with its place in the plant model; nodes or browse must map"
              + " at least one");
  public static final ConfigKey OPCUA_BROWSE =
      new ConfigKey(
          OPCUA,
          "browse",
          "list of mappings",
          "[]",
          "subtrees browsed at every connect; their variables are mapped by pattern");

  public static final ConfigKey NODE_ID =
      new ConfigKey(
          NODE,
          "node-id",
          "ns=<index>;..., nsu=<uri>;... or, with namespace-uri, s=..., i=..., g=..., b=...",
          null,
          "the node id to subscribe to");
  public static final ConfigKey NODE_SITE = pathKey(NODE, "site", "ISA-95 site");
  public static final ConfigKey NODE_AREA = pathKey(NODE, "area", "ISA-95 area");
  public static final ConfigKey NODE_LINE = pathKey(NODE, "line", "ISA-95 line");
  public static final ConfigKey NODE_DEVICE = pathKey(NODE, "device", "device");
  public static final ConfigKey NODE_TAG =
      new ConfigKey(
          NODE, "tag", "string, no '/'", null, "the tag the node's values become, e.g. power_kw");
  public static final ConfigKey NODE_UNIT =
      new ConfigKey(
          NODE,
          "unit",
          "string",
          "\"\"",
          "the engineering unit, e.g. kW; when empty, the node's EngineeringUnits property on the"
              + " server, if it has one");
  public static final ConfigKey NODE_DEADBAND_TYPE = deadbandType(NODE);
  public static final ConfigKey NODE_DEADBAND_VALUE = deadbandValue(NODE);

  public static final ConfigKey BROWSE_PATH =
      new ConfigKey(
          BROWSE,
          "path",
          "Objects/<browse name>/...",
          null,
          "the browse path of the subtree, from the Objects folder, e.g. Objects/plant-sh/assembly;"
              + " browse names are matched without their namespace");
  public static final ConfigKey BROWSE_INCLUDE =
      new ConfigKey(
          BROWSE,
          "include",
          "regular expression",
          "(all)",
          "a regular expression the whole relative path of a variable (e.g. line-1/m01/power_kw)"
              + " must match");
  public static final ConfigKey BROWSE_PATTERN =
      new ConfigKey(
          BROWSE,
          "pattern",
          "relative path with {site}, {area}, {line}, {device}, {tag}, * and **",
          null,
          "how a variable's relative path becomes its plant path: {name} captures one level, * matches"
              + " one, ** any number; {tag} is required; variables that do not match are skipped");
  public static final ConfigKey BROWSE_SITE =
      browseFixed("site", "the ISA-95 site, for patterns that do not capture {site}");
  public static final ConfigKey BROWSE_AREA =
      browseFixed("area", "the ISA-95 area, for patterns that do not capture {area}");
  public static final ConfigKey BROWSE_LINE =
      browseFixed("line", "the ISA-95 line, for patterns that do not capture {line}");
  public static final ConfigKey BROWSE_DEVICE =
      browseFixed("device", "the device, for patterns that do not capture {device}");
  public static final ConfigKey BROWSE_UNIT =
      new ConfigKey(
          BROWSE,
          "unit",
          "string",
          "\"\"",
          "the engineering unit of every mapped variable; when empty, each variable's"
              + " EngineeringUnits property on the server, if it has one");
  public static final ConfigKey BROWSE_DEADBAND_TYPE = deadbandType(BROWSE);
  public static final ConfigKey BROWSE_DEADBAND_VALUE = deadbandValue(BROWSE);
  public static final ConfigKey BROWSE_MAX_DEPTH =
      new ConfigKey(
          BROWSE, "max-depth", "integer 1..64", "8", "how many levels below path are browsed");

  public static final ConfigKey MQTT_BROKER =
      new ConfigKey(
          MQTT,
          "broker",
          "tcp:// or ssl:// URL",
          null,
          "the MQTT broker's URL, e.g. tcp://host:1883");
  public static final ConfigKey MQTT_VERSION =
      new ConfigKey(
          MQTT,
          "mqtt-version",
          "\"5\" or \"3.1.1\"",
          "\"5\"",
          "the MQTT protocol version: 5 (Paho mqttv5) or 3.1.1 (Paho mqttv3, for brokers that refuse"
              + " MQTT 5 such as the embedded Moquette)");
  public static final ConfigKey MQTT_CLIENT_ID =
      new ConfigKey(
          MQTT,
          "client-id",
          "string, 1..65535 characters",
          "ironlake-<collector.id>-<name>",
          "the MQTT client id; with clean-session false the broker keeps the session under it");
  public static final ConfigKey MQTT_QOS =
      new ConfigKey(MQTT, "qos", "0, 1 or 2", "1", "the QoS of the subscriptions");
  public static final ConfigKey MQTT_CLEAN_SESSION =
      new ConfigKey(
          MQTT,
          "clean-session",
          "true or false",
          "false",
          "whether the broker forgets the session on disconnect; false keeps QoS 1/2 messages"
              + " that arrive while the collector is away");
  public static final ConfigKey MQTT_SESSION_EXPIRY_S =
      new ConfigKey(
          MQTT,
          "session-expiry-s",
          "integer 0..2147483647",
          "86400",
          "MQTT 5: how long the broker keeps the session (subscriptions and queued QoS 1/2"
              + " messages) after the collector disconnects; 3.1.1 sessions last as long as the"
              + " broker keeps them");
  public static final ConfigKey MQTT_KEEP_ALIVE_S =
      new ConfigKey(
          MQTT, "keep-alive-s", "integer 1..3600", "30", "the MQTT keep-alive interval in seconds");
  public static final ConfigKey MQTT_MAX_PAYLOAD_BYTES =
      new ConfigKey(
          MQTT,
          "max-payload-bytes",
          "integer 1..268435455",
          "1048576",
          "the largest payload decoded; larger ones go to the dead-letter topic");
  public static final ConfigKey MQTT_SHARED_GROUP =
      new ConfigKey(
          MQTT,
          "shared-group",
          "string without '/', '+', '#'",
          "(none)",
          "subscribe as $share/<group>/<filter>, so the collectors of one group split the"
              + " messages between them (each message to one of them); give each its own"
              + " client-id and collector id");
  public static final ConfigKey MQTT_SPARKPLUG_HOST_ID =
      new ConfigKey(
          MQTT,
          "sparkplug-host-id",
          "string without '/', '+', '#'",
          "(none)",
          "act as the Sparkplug 3.0 Primary Host Application with this id: a will and a retained"
              + " STATE message on spBv1.0/STATE/<id> tell edge nodes configured with this"
              + " primary host when the collector is online, so they hold their data while it is"
              + " not; needs clean-session: true, not with shared-group");
  public static final ConfigKey MQTT_USERNAME =
      new ConfigKey(MQTT, "username", "string", "(none)", "the user name to log in with");
  public static final ConfigKey MQTT_PASSWORD_FILE =
      new ConfigKey(
          MQTT,
          "password-file",
          "path",
          "(none)",
          "a file holding the password (a trailing line break is ignored), relative to the"
              + " config file's folder; needs username; the password is never logged");
  public static final ConfigKey MQTT_PASSWORD_ENV =
      new ConfigKey(
          MQTT,
          "password-env",
          "environment variable name",
          "(none)",
          "the environment variable holding the password, instead of password-file");
  public static final ConfigKey MQTT_CA_FILE =
      new ConfigKey(
          MQTT,
          "ca-file",
          "path to a PEM file",
          "(the JVM's trust store)",
          "ssl:// only: the CA certificate(s) the broker's certificate must chain to");
  public static final ConfigKey MQTT_CERT_FILE =
      new ConfigKey(
          MQTT,
          "cert-file",
          "path to a PEM file",
          "(none)",
          "ssl:// only: the client certificate (chain) to log in with; needs key-file");
  public static final ConfigKey MQTT_KEY_FILE =
      new ConfigKey(
          MQTT,
          "key-file",
          "path to a PEM file",
          "(none)",
          "ssl:// only: the unencrypted private key of cert-file (PKCS#8, PKCS#1 or SEC1)");
  public static final ConfigKey MQTT_VERIFY_HOSTNAME =
      new ConfigKey(
          MQTT,
          "verify-hostname",
          "true or false",
          "true",
          "ssl:// only: whether the broker's certificate must name the broker URL's host");
  public static final ConfigKey MQTT_TOPICS =
      new ConfigKey(
          MQTT, "topics", "list of mappings, at least one", null, "the topics to subscribe to");

  public static final ConfigKey TOPIC_PATTERN =
      new ConfigKey(
          TOPIC,
          "pattern",
          "MQTT topic with {site}, {area}, {line}, {device}, {tag} (plain), + and a final #",
          null,
          "the topic pattern; {name} captures one level into the point's ISA-95 path; for"
              + " sparkplug-b a filter under spBv1.0/ without captures");
  public static final ConfigKey TOPIC_FORMAT =
      new ConfigKey(
          TOPIC,
          "format",
          "json, plain or sparkplug-b",
          "json",
          "the payload format: json (see json-layout), plain (one value as text, the tag from"
              + " {tag} or tag) or sparkplug-b (the path from the Sparkplug topic: site = group"
              + " id, line = edge node id, device = device id, area from area)");
  public static final ConfigKey TOPIC_JSON_LAYOUT =
      new ConfigKey(
          TOPIC,
          "json-layout",
          "values or flat",
          "values",
          "json: values is {\"ts\": .., \"values\": {tag: value, ...}}, flat is {\"ts\": .., tag:"
              + " value, ...} (every key but ts-field is a tag)");
  public static final ConfigKey TOPIC_TS_FIELD =
      new ConfigKey(TOPIC, "ts-field", "string", "ts", "json: the key of the timestamp");
  public static final ConfigKey TOPIC_TS_FORMAT =
      new ConfigKey(
          TOPIC,
          "ts-format",
          "epoch-ms, epoch-s, epoch-us or iso-8601",
          "epoch-ms",
          "json: how the timestamp is written: an integer of epoch milliseconds, seconds (a"
              + " fraction allowed) or microseconds, or ISO-8601 text with an offset");
  public static final ConfigKey TOPIC_TAG =
      new ConfigKey(
          TOPIC,
          "tag",
          "string, no '/'",
          "(captured)",
          "plain: the tag of the value, for patterns that do not capture {tag}");
  public static final ConfigKey TOPIC_UNITS =
      new ConfigKey(
          TOPIC, "units", "mapping of tag to unit", "{}", "the engineering unit of each tag");
  public static final ConfigKey TOPIC_SITE =
      fixedKey("site", "the ISA-95 site, for patterns that do not capture {site}");
  public static final ConfigKey TOPIC_AREA =
      fixedKey("area", "the ISA-95 area, for patterns that do not capture {area}");
  public static final ConfigKey TOPIC_LINE =
      fixedKey("line", "the ISA-95 line, for patterns that do not capture {line}");
  public static final ConfigKey TOPIC_DEVICE =
      fixedKey("device", "the device, for patterns that do not capture {device}");

  /** Every key, in README order. */
  public static final List<ConfigKey> ALL =
      List.of(
          COLLECTOR_SECTION,
          KAFKA_SECTION,
          SOURCES,
          SPOOL_SECTION,
          HTTP_SECTION,
          COLLECTOR_ID,
          STATE_DIR,
          SEQ_BLOCK_SIZE,
          BOOTSTRAP_SERVERS,
          TELEMETRY_TOPIC,
          DEADLETTER_TOPIC,
          LINGER_MS,
          COMPRESSION,
          EVENTS_TOPIC,
          KAFKA_PROPERTIES,
          SPOOL_DIR,
          SPOOL_MAX_BYTES,
          SPOOL_SEGMENT_BYTES,
          SPOOL_FSYNC,
          SPOOL_FSYNC_INTERVAL_MS,
          SPOOL_ON_FULL,
          HTTP_BIND,
          HTTP_PORT,
          HTTP_CERT_FILE,
          HTTP_KEY_FILE,
          HTTP_AUTH,
          HTTP_TOKEN_FILE,
          HTTP_TOKEN_ENV,
          HTTP_USERNAME,
          HTTP_PASSWORD_FILE,
          HTTP_PASSWORD_ENV,
          SOURCE_NAME,
          SOURCE_TYPE,
          OPCUA_ENDPOINT,
          OPCUA_SECURITY_POLICY,
          OPCUA_SECURITY_MODE,
          OPCUA_IDENTITY,
          OPCUA_USERNAME,
          OPCUA_PASSWORD_FILE,
          OPCUA_PASSWORD_ENV,
          OPCUA_USER_CERTIFICATE,
          OPCUA_USER_PRIVATE_KEY,
          OPCUA_TRUST_UNKNOWN_SERVERS,
          OPCUA_PUBLISHING_INTERVAL_MS,
          OPCUA_SAMPLING_INTERVAL_MS,
          OPCUA_QUEUE_SIZE,
          OPCUA_SUBSCRIPTION_LIFETIME_MS,
          OPCUA_MAX_ITEMS_PER_SUBSCRIPTION,
          OPCUA_NAMESPACE_URI,
          OPCUA_MAX_NODES_PER_REQUEST,
          OPCUA_MODE,
          OPCUA_POLL_INTERVAL_MS,
          OPCUA_EVENTS,
          OPCUA_EVENT_NOTIFIERS,
          OPCUA_NODES,
          OPCUA_BROWSE,
          NODE_ID,
          NODE_SITE,
          NODE_AREA,
          NODE_LINE,
          NODE_DEVICE,
          NODE_TAG,
          NODE_UNIT,
          NODE_DEADBAND_TYPE,
          NODE_DEADBAND_VALUE,
          BROWSE_PATH,
          BROWSE_INCLUDE,
          BROWSE_PATTERN,
          BROWSE_SITE,
          BROWSE_AREA,
          BROWSE_LINE,
          BROWSE_DEVICE,
          BROWSE_UNIT,
          BROWSE_DEADBAND_TYPE,
          BROWSE_DEADBAND_VALUE,
          BROWSE_MAX_DEPTH,
          MQTT_BROKER,
          MQTT_VERSION,
          MQTT_CLIENT_ID,
          MQTT_QOS,
          MQTT_CLEAN_SESSION,
          MQTT_SESSION_EXPIRY_S,
          MQTT_KEEP_ALIVE_S,
          MQTT_MAX_PAYLOAD_BYTES,
          MQTT_SHARED_GROUP,
          MQTT_SPARKPLUG_HOST_ID,
          MQTT_USERNAME,
          MQTT_PASSWORD_FILE,
          MQTT_PASSWORD_ENV,
          MQTT_CA_FILE,
          MQTT_CERT_FILE,
          MQTT_KEY_FILE,
          MQTT_VERIFY_HOSTNAME,
          MQTT_TOPICS,
          TOPIC_PATTERN,
          TOPIC_FORMAT,
          TOPIC_JSON_LAYOUT,
          TOPIC_TS_FIELD,
          TOPIC_TS_FORMAT,
          TOPIC_UNITS,
          TOPIC_SITE,
          TOPIC_AREA,
          TOPIC_LINE,
          TOPIC_DEVICE,
          TOPIC_TAG);

  private ConfigKeys() {}

  /**
   * The README's key tables, generated from {@link #ALL}: one {@code #### `section`} heading and
   * table per section, in definition order (a test checks the README holds exactly this).
   */
  public static String markdownTables() {
    StringBuilder sb = new StringBuilder();
    String section = null;
    for (ConfigKey k : ALL) {
      if (!k.section().equals(section)) {
        section = k.section();
        sb.append(sb.length() == 0 ? "" : "\n")
            .append("#### `")
            .append(section)
            .append("`\n\n| key | type | default | meaning |\n| --- | --- | --- | --- |\n");
      }
      String def = k.required() ? "**required**" : "`" + k.defaultValue() + "`";
      sb.append("| `")
          .append(k.name())
          .append("` | ")
          .append(k.type())
          .append(" | ")
          .append(def)
          .append(" | ")
          .append(k.doc())
          .append(" |\n");
    }
    return sb.toString();
  }

  /** The keys of the given sections, in definition order. */
  public static List<ConfigKey> of(String... sections) {
    List<String> wanted = List.of(sections);
    return ALL.stream().filter(k -> wanted.contains(k.section())).collect(Collectors.toList());
  }

  private static ConfigKey pathKey(String section, String name, String what) {
    return new ConfigKey(section, name, "string, no '/'", null, "the " + what + " of the node");
  }

  private static ConfigKey deadbandType(String section) {
    return new ConfigKey(
        section,
        "deadband-type",
        "none, absolute or percent",
        "none",
        "the data change deadband: absolute (in the node's unit) or percent (of the node's EURange;"
            + " the server refuses it for nodes without one); with a deadband a repeated value is"
            + " not reported");
  }

  private static ConfigKey deadbandValue(String section) {
    return new ConfigKey(
        section,
        "deadband-value",
        "number >= 0 (percent: 0..100)",
        "0",
        "the deadband: a value is reported only when it moved more than this since the last"
            + " reported one");
  }

  private static ConfigKey browseFixed(String name, String doc) {
    return new ConfigKey(BROWSE, name, "string, no '/'", "(captured)", doc);
  }

  private static ConfigKey fixedKey(String name, String doc) {
    return new ConfigKey(TOPIC, name, "string, no '/'", "(captured)", doc);
  }
}
