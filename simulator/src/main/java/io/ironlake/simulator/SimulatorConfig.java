package io.ironlake.simulator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a simulated factory; build one with {@link #builder()}.
 *
 * <pre>{@code
 * SimulatorConfig config = SimulatorConfig.builder()
 *     .opcUaLines(1).mqttLines(1).machinesPerLine(2)
 *     .speed(60).duration(Duration.ofMinutes(5))
 *     .meterResetAt("line-1/m02", Duration.ofMinutes(2))
 *     .build();
 * }</pre>
 *
 * @param site ISA-95 site name
 * @param area ISA-95 area name
 * @param opcUaLines lines served over OPC UA ({@code line-1} ..)
 * @param mqttLines lines served over MQTT, numbered after the OPC UA lines
 * @param machinesPerLine machines per line ({@code m01} ..)
 * @param tick simulated time between two updates of every tag
 * @param speed simulated seconds per real second
 * @param startTime simulated time of the first tick
 * @param duration simulated time to emit for, then stop emitting (servers stay up); null = forever
 * @param seed seed of every random choice; the same seed gives the same values
 * @param opcUaPort TCP port of the OPC UA server on 127.0.0.1; 0 = a free port
 * @param mqttBrokerUrl MQTT broker to publish to; null = start an embedded broker
 * @param dataDir folder for the embedded broker and the emission journal; null = nothing on disk
 * @param meterResets forced meter resets: device path to simulated offset from the start
 * @param faultProbability chance that a running machine faults within a simulated hour
 * @param idleProbability chance that a running machine goes idle within a simulated hour
 * @param meterResetProbability chance that a machine's energy meter resets within a simulated day
 * @param driftProbability chance that a machine's diameter starts drifting within a simulated hour
 *     (each probability p is spread over the ticks of its period as {@code 1 - (1 - p)^(tick /
 *     period)} per tick, so 1 makes it happen at every tick)
 * @param emitOnStart whether {@link SimulatedFactory#start} starts emitting right away; if false,
 *     call {@link SimulatedFactory#startEmitting()} once subscribers are ready
 * @param emissionMemoryLimit points the emission log keeps in memory (counts stay exact beyond it)
 * @param mqttPayload the payload format of the MQTT lines: JSON, or Sparkplug B edge nodes
 * @param opcUaSecurity the OPC UA server's policies, identities and trusted clients
 * @param opcUaOptions the OPC UA server's bulk variables, operation limits, subscriptions and
 *     events
 * @param sparkplugPrimaryHostId the Sparkplug Primary Host Application the simulated edge nodes
 *     wait for (its STATE online) before they publish, or {@code null} to publish at once
 */
public record SimulatorConfig(
    String site,
    String area,
    int opcUaLines,
    int mqttLines,
    int machinesPerLine,
    Duration tick,
    double speed,
    Instant startTime,
    Duration duration,
    long seed,
    int opcUaPort,
    String mqttBrokerUrl,
    Path dataDir,
    Map<String, Duration> meterResets,
    double faultProbability,
    double idleProbability,
    double meterResetProbability,
    double driftProbability,
    boolean emitOnStart,
    int emissionMemoryLimit,
    MqttPayload mqttPayload,
    OpcUaServerSecurity opcUaSecurity,
    OpcUaServerOptions opcUaOptions,
    String sparkplugPrimaryHostId) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public SimulatorConfig {
    meterResets = Map.copyOf(meterResets);
    opcUaOptions = opcUaOptions == null ? OpcUaServerOptions.defaults() : opcUaOptions;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Line names in order: OPC UA lines first, then MQTT lines. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= opcUaLines + mqttLines; i++) {
      lines.add("line-" + i);
    }
    return lines;
  }

  /** Device names of one line: {@code m01} .. */
  public List<String> devices() {
    List<String> devices = new ArrayList<>();
    for (int i = 1; i <= machinesPerLine; i++) {
      devices.add(String.format("m%02d", i));
    }
    return devices;
  }

  /** The channel of a line ({@code line-1} ..). */
  public Channel channelOf(String line) {
    int index = Integer.parseInt(line.substring("line-".length()));
    return index <= opcUaLines ? Channel.OPCUA : Channel.MQTT;
  }

  /** Number of ticks to emit, or -1 when there is no duration. */
  public long tickLimit() {
    if (duration == null) {
      return -1;
    }
    long tickNanos = tick.toNanos();
    return (duration.toNanos() + tickNanos - 1) / tickNanos;
  }

  /** Builds a {@link SimulatorConfig}; {@link #build()} checks every value. */
  public static final class Builder {
    private String site = "plant-sh";
    private String area = "assembly";
    private int opcUaLines = 2;
    private int mqttLines = 1;
    private int machinesPerLine = 5;
    private Duration tick = Duration.ofSeconds(1);
    private double speed = 1.0;
    private Instant startTime;
    private Duration duration;
    private long seed = 42;
    private int opcUaPort = 0;
    private String mqttBrokerUrl;
    private Path dataDir;
    private final Map<String, Duration> meterResets = new LinkedHashMap<>();
    private double faultProbability = 0.1;
    private double idleProbability = 0.5;
    private double meterResetProbability = 0.05;
    private double driftProbability = 0.2;
    private boolean emitOnStart = true;
    private int emissionMemoryLimit = 1_000_000;
    private MqttPayload mqttPayload = MqttPayload.JSON;
    private String sparkplugPrimaryHostId;
    private OpcUaServerSecurity opcUaSecurity = OpcUaServerSecurity.insecure();
    private OpcUaServerOptions opcUaOptions = OpcUaServerOptions.defaults();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** ISA-95 site name (default {@code plant-sh}). */
    public Builder site(String site) {
      this.site = site;
      return this;
    }

    /** ISA-95 area name (default {@code assembly}). */
    public Builder area(String area) {
      this.area = area;
      return this;
    }

    /** Lines served over OPC UA (default 2). */
    public Builder opcUaLines(int lines) {
      this.opcUaLines = lines;
      return this;
    }

    /** Lines served over MQTT, numbered after the OPC UA lines (default 1). */
    public Builder mqttLines(int lines) {
      this.mqttLines = lines;
      return this;
    }

    /** Machines per line, 1 to 99 (default 5). */
    public Builder machinesPerLine(int machines) {
      this.machinesPerLine = machines;
      return this;
    }

    /** Simulated time between updates, whole milliseconds, at least 10 ms (default 1 s). */
    public Builder tick(Duration tick) {
      this.tick = tick;
      return this;
    }

    /** Simulated seconds per real second, up to 10,000 (default 1.0). */
    public Builder speed(double speed) {
      this.speed = speed;
      return this;
    }

    /** Simulated time of the first tick (default: now, truncated to the minute). */
    public Builder startTime(Instant startTime) {
      this.startTime = startTime;
      return this;
    }

    /** Emit for exactly this much simulated time, then stop emitting (default: forever). */
    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    /** Seed of every random choice (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** OPC UA server port on 127.0.0.1; 0 picks a free port (default 0). */
    public Builder opcUaPort(int port) {
      this.opcUaPort = port;
      return this;
    }

    /** MQTT broker to publish to, {@code tcp://host:port}; null starts an embedded broker. */
    public Builder mqttBrokerUrl(String url) {
      this.mqttBrokerUrl = url;
      return this;
    }

    /** Folder for the embedded broker and {@code simulator/emissions.jsonl} (default: none). */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /**
     * Forces the energy meter of {@code device} to reset at the first tick at or after {@code
     * simOffset} from the start. {@code device} is a device path {@code site/area/line/device} or
     * {@code line/device}.
     */
    public Builder meterResetAt(String device, Duration simOffset) {
      this.meterResets.put(device, simOffset);
      return this;
    }

    /** Chance that a running machine faults within a simulated hour (default 0.1). */
    public Builder faultProbability(double p) {
      this.faultProbability = p;
      return this;
    }

    /** Chance that a running machine goes idle within a simulated hour (default 0.5). */
    public Builder idleProbability(double p) {
      this.idleProbability = p;
      return this;
    }

    /** Chance that a machine's energy meter resets within a simulated day (default 0.05). */
    public Builder meterResetProbability(double p) {
      this.meterResetProbability = p;
      return this;
    }

    /** Chance that a machine's diameter starts drifting within a simulated hour (default 0.2). */
    public Builder driftProbability(double p) {
      this.driftProbability = p;
      return this;
    }

    /**
     * Whether {@link SimulatedFactory#start} starts emitting at once (default true). Tests that
     * must see every value set false and call {@link SimulatedFactory#startEmitting()}.
     */
    public Builder emitOnStart(boolean emitOnStart) {
      this.emitOnStart = emitOnStart;
      return this;
    }

    /** Points the emission log keeps in memory (default 1,000,000); counts stay exact. */
    public Builder emissionMemoryLimit(int limit) {
      this.emissionMemoryLimit = limit;
      return this;
    }

    /**
     * Payload format of the MQTT lines (default {@link MqttPayload#JSON}); {@link
     * MqttPayload#SPARKPLUG_B} makes every MQTT line a Sparkplug B edge node.
     */
    public Builder mqttPayload(MqttPayload payload) {
      this.mqttPayload = payload;
      return this;
    }

    /**
     * Security of the OPC UA server (default {@link OpcUaServerSecurity#insecure()}: policy None,
     * anonymous).
     */
    public Builder opcUaSecurity(OpcUaServerSecurity security) {
      this.opcUaSecurity = Objects.requireNonNull(security, "security");
      return this;
    }

    /** OPC UA server options: bulk variables, limits, subscriptions, events (default: none). */
    public Builder opcUaOptions(OpcUaServerOptions options) {
      this.opcUaOptions = Objects.requireNonNull(options, "opcUaOptions");
      return this;
    }

    /**
     * Makes the Sparkplug B edge nodes wait for the Primary Host Application {@code hostId}: they
     * publish their births only once its STATE ({@code spBv1.0/STATE/<hostId>}) says online, and
     * while it says offline they keep their data and send it after the next births, in order.
     * Default: none, they publish at once.
     */
    public Builder sparkplugPrimaryHost(String hostId) {
      this.sparkplugPrimaryHostId = hostId;
      return this;
    }

    /** Clock for the default start time (default: the UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Checks every value and builds the config. */
    public SimulatorConfig build() {
      checkName("site", site);
      checkName("area", area);
      check(opcUaLines >= 0, "opcUaLines", opcUaLines, "expected >= 0");
      check(mqttLines >= 0, "mqttLines", mqttLines, "expected >= 0");
      check(
          opcUaLines + mqttLines >= 1,
          "opcUaLines + mqttLines",
          opcUaLines + mqttLines,
          "expected at least one line");
      check(
          machinesPerLine >= 1 && machinesPerLine <= 99,
          "machinesPerLine",
          machinesPerLine,
          "expected 1 to 99");
      check(
          tick != null && tick.toMillis() >= 10 && tick.toNanos() % 1_000_000 == 0,
          "tick",
          tick,
          "expected whole milliseconds, at least 10 ms");
      check(
          speed > 0 && speed <= 10_000 && Double.isFinite(speed),
          "speed",
          speed,
          "expected > 0 and <= 10000");
      check(
          duration == null || duration.compareTo(tick) >= 0,
          "duration",
          duration,
          "expected at least one tick (" + tick + ")");
      check(opcUaPort >= 0 && opcUaPort <= 65535, "opcUaPort", opcUaPort, "expected 0 to 65535");
      check(
          mqttBrokerUrl == null || mqttBrokerUrl.matches("(tcp|ssl)://[^/]+:\\d+"),
          "mqttBrokerUrl",
          mqttBrokerUrl,
          "expected tcp://host:port or ssl://host:port");
      checkProbability("faultProbability", faultProbability);
      checkProbability("idleProbability", idleProbability);
      checkProbability("meterResetProbability", meterResetProbability);
      checkProbability("driftProbability", driftProbability);
      check(emissionMemoryLimit >= 0, "emissionMemoryLimit", emissionMemoryLimit, "expected >= 0");
      check(mqttPayload != null, "mqttPayload", mqttPayload, "expected JSON or SPARKPLUG_B");
      check(
          sparkplugPrimaryHostId == null || sparkplugPrimaryHostId.matches("[^/+#\\s]{1,200}"),
          "sparkplugPrimaryHost",
          sparkplugPrimaryHostId,
          "expected a host id without '/', '+', '#'");
      Instant start =
          startTime != null
              ? startTime.truncatedTo(ChronoUnit.MILLIS)
              : clock.instant().truncatedTo(ChronoUnit.MINUTES);
      SimulatorConfig config =
          new SimulatorConfig(
              site,
              area,
              opcUaLines,
              mqttLines,
              machinesPerLine,
              tick,
              speed,
              start,
              duration,
              seed,
              opcUaPort,
              mqttBrokerUrl,
              dataDir,
              Map.of(),
              faultProbability,
              idleProbability,
              meterResetProbability,
              driftProbability,
              emitOnStart,
              emissionMemoryLimit,
              mqttPayload,
              opcUaSecurity,
              opcUaOptions,
              sparkplugPrimaryHostId);
      Map<String, Duration> resets = new LinkedHashMap<>();
      meterResets.forEach((device, offset) -> resets.put(resolve(config, device), check(offset)));
      return new SimulatorConfig(
          site,
          area,
          opcUaLines,
          mqttLines,
          machinesPerLine,
          tick,
          speed,
          start,
          duration,
          seed,
          opcUaPort,
          mqttBrokerUrl,
          dataDir,
          resets,
          faultProbability,
          idleProbability,
          meterResetProbability,
          driftProbability,
          emitOnStart,
          emissionMemoryLimit,
          mqttPayload,
          opcUaSecurity,
          opcUaOptions,
          sparkplugPrimaryHostId);
    }

    private static Duration check(Duration offset) {
      check(
          offset != null && !offset.isNegative(),
          "meterResetAt offset",
          offset,
          "expected a duration >= 0");
      return offset;
    }

    private static String resolve(SimulatorConfig config, String device) {
      String[] parts = device == null ? new String[0] : device.split("/");
      String path;
      if (parts.length == 2) {
        path = config.site() + "/" + config.area() + "/" + device;
      } else if (parts.length == 4) {
        path = device;
      } else {
        path = null;
      }
      for (String line : config.lines()) {
        for (String d : config.devices()) {
          if ((config.site() + "/" + config.area() + "/" + line + "/" + d).equals(path)) {
            return path;
          }
        }
      }
      throw new IllegalArgumentException(
          "Invalid value "
              + device
              + " for meterResetAt: expected line/device or"
              + " site/area/line/device of a simulated machine, e.g. line-1/m01");
    }

    private static void checkName(String key, String value) {
      check(
          value != null && NAME.matcher(value).matches(),
          key,
          value,
          "expected letters, digits, '.', '_' or '-' (it becomes part of NodeIds and topics)");
    }

    private static void checkProbability(String key, double p) {
      check(p >= 0 && p <= 1, key, p, "expected a probability from 0 to 1");
    }

    private static void check(boolean ok, String key, Object value, String expected) {
      if (!ok) {
        throw new IllegalArgumentException(
            "Invalid value " + value + " for " + key + ": " + expected);
      }
    }
  }
}
