package io.ironlake.simulator;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.embedded.EmbeddedMqttBroker;
import io.ironlake.simulator.internal.FactoryNamespace;
import io.ironlake.simulator.internal.FaultConditions;
import io.ironlake.simulator.internal.MachineModel;
import io.ironlake.simulator.internal.MachineSample;
import io.ironlake.simulator.internal.MqttGateway;
import io.ironlake.simulator.internal.OpcUaFactoryServer;
import io.ironlake.simulator.internal.ServerPki;
import io.ironlake.simulator.internal.SparkplugGateway;
import io.ironlake.simulator.internal.Tags;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running simulated factory: an OPC UA server and an MQTT gateway publishing machine data on a
 * simulated clock, and a log of everything they published.
 *
 * <pre>{@code
 * try (SimulatedFactory factory = SimulatedFactory.start(config)) {
 *   String endpoint = factory.opcUaEndpoint();   // opc.tcp://127.0.0.1:PORT/ironlake
 *   String broker = factory.mqttBrokerUrl();     // tcp://127.0.0.1:PORT
 *   factory.awaitFinished(Duration.ofSeconds(30));
 *   factory.emissions().counts();
 * }
 * }</pre>
 *
 * <p>Tick n carries the simulated timestamp {@code startTime + n * tick} and runs at real time
 * {@code n * tick / speed} after emission starts; a slow machine delays ticks but never skips one.
 */
public final class SimulatedFactory implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedFactory.class);

  private final SimulatorConfig config;
  private final List<Machine> machines;
  private final PlantModel plant;
  private final EmissionLog emissions;
  private final Map<String, List<String>> opcUaLines;
  private final ServerPki opcUaPki;
  private volatile OpcUaFactoryServer opcUa;
  private final FaultConditions conditions;
  private volatile boolean ticksHeld;
  private final EmbeddedMqttBroker broker;
  private final MqttGateway gateway;
  private final SparkplugGateway sparkplug;
  private final String mqttBrokerUrl;
  private final ScheduledExecutorService ticker;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final double periodNanos;
  private volatile long realStartNanos;
  private volatile boolean emitting;
  private volatile boolean closed;
  private volatile long nextTick;

  private record Machine(SimMachine spec, MachineModel model) {}

  private SimulatedFactory(
      SimulatorConfig config,
      List<Machine> machines,
      PlantModel plant,
      EmissionLog emissions,
      OpcUaFactoryServer opcUa,
      Map<String, List<String>> opcUaLines,
      ServerPki opcUaPki,
      EmbeddedMqttBroker broker,
      MqttGateway gateway,
      SparkplugGateway sparkplug,
      String mqttBrokerUrl,
      FaultConditions conditions) {
    this.conditions = conditions;
    this.opcUaLines = opcUaLines;
    this.opcUaPki = opcUaPki;
    this.config = config;
    this.machines = machines;
    this.plant = plant;
    this.emissions = emissions;
    this.opcUa = opcUa;
    this.broker = broker;
    this.gateway = gateway;
    this.sparkplug = sparkplug;
    this.mqttBrokerUrl = mqttBrokerUrl;
    if (opcUa != null) {
      opcUa.namespace().onConditionEvents(emissions::recordEvents);
    }
    this.periodNanos = config.tick().toNanos() / config.speed();
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ironlake-simulator-" + config.site());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the servers and, unless the config says otherwise, starts emitting. */
  public static SimulatedFactory start(SimulatorConfig config) {
    Map<String, List<String>> opcUaLines = new LinkedHashMap<>();
    for (String line : config.lines()) {
      if (config.channelOf(line) == Channel.OPCUA) {
        opcUaLines.put(line, config.devices());
      }
    }
    OpcUaFactoryServer opcUa = null;
    ServerPki pki = null;
    EmbeddedMqttBroker broker = null;
    MqttGateway gateway = null;
    SparkplugGateway sparkplug = null;
    EmissionLog emissions = null;
    FaultConditions conditions = new FaultConditions();
    try {
      if (!opcUaLines.isEmpty()) {
        OpcUaServerSecurity security = config.opcUaSecurity();
        Path pkiDir =
            security.pkiDir() != null
                ? security.pkiDir()
                : config.dataDir() == null ? null : config.dataDir().resolve("opcua-pki");
        pki =
            ServerPki.open(pkiDir, OpcUaFactoryServer.applicationUri(), security.trustAllClients());
        opcUa =
            OpcUaFactoryServer.start(
                config.opcUaPort(),
                config.site(),
                config.area(),
                opcUaLines,
                security,
                pki,
                config.opcUaOptions(),
                conditions);
      }
      String brokerUrl = null;
      if (config.mqttLines() > 0) {
        brokerUrl = config.mqttBrokerUrl();
        if (brokerUrl == null) {
          broker = EmbeddedMqttBroker.start(0, config.dataDir());
          brokerUrl = broker.url();
        }
        if (config.mqttPayload() == MqttPayload.SPARKPLUG_B) {
          Map<String, List<String>> mqttLines = new LinkedHashMap<>();
          for (String line : config.lines()) {
            if (config.channelOf(line) == Channel.MQTT) {
              mqttLines.put(line, config.devices());
            }
          }
          sparkplug =
              SparkplugGateway.connect(
                  brokerUrl,
                  config.site(),
                  mqttLines,
                  Tags.ALL,
                  config.startTime(),
                  config.sparkplugPrimaryHostId());
        } else {
          gateway = MqttGateway.connect(brokerUrl, config.site());
        }
      }
      Path journal =
          config.dataDir() == null
              ? null
              : config.dataDir().resolve("simulator").resolve("emissions.jsonl");
      emissions = new EmissionLog(config.emissionMemoryLimit(), journal);
      List<Machine> machines = machines(config, opcUa);
      PlantModel plant =
          new PlantModel(
              FactoryNamespace.NAMESPACE_URI, machines.stream().map(Machine::spec).toList());
      SimulatedFactory factory =
          new SimulatedFactory(
              config,
              machines,
              plant,
              emissions,
              opcUa,
              opcUaLines,
              pki,
              broker,
              gateway,
              sparkplug,
              brokerUrl,
              conditions);
      LOG.info(
          "Simulated factory started: site={}, area={}, machines={}, opcUaEndpoint={},"
              + " mqttBroker={}, tick={}, speed={}, startTime={}, duration={}, seed={}",
          config.site(),
          config.area(),
          machines.size(),
          factory.opcUaEndpoint(),
          brokerUrl,
          config.tick(),
          config.speed(),
          config.startTime(),
          config.duration(),
          config.seed());
      if (config.emitOnStart()) {
        factory.startEmitting();
      }
      return factory;
    } catch (RuntimeException e) {
      closeQuietly(gateway);
      closeQuietly(sparkplug);
      closeQuietly(broker);
      closeQuietly(opcUa);
      closeQuietly(emissions);
      throw e;
    }
  }

  /** Starts emitting ticks if not started yet; emission time 0 is now. */
  public synchronized void startEmitting() {
    if (emitting || closed) {
      return;
    }
    emitting = true;
    realStartNanos = System.nanoTime();
    ticker.execute(this::runDueTicks);
  }

  /** The OPC UA endpoint, {@code opc.tcp://127.0.0.1:PORT/ironlake}; null without OPC UA lines. */
  public String opcUaEndpoint() {
    return opcUa == null ? null : opcUa.endpointUrl();
  }

  /** The OPC UA server's certificate (clients put it in their trust list); null without OPC UA. */
  public java.security.cert.X509Certificate opcUaServerCertificate() {
    return opcUaPki == null ? null : opcUaPki.certificate();
  }

  /**
   * The folder whose files are the client certificates the OPC UA server trusts; null when it keeps
   * no PKI folder (no data dir and no {@link OpcUaServerSecurity#pkiDir()}).
   */
  public Path opcUaTrustedClientsDir() {
    return opcUaPki == null ? null : opcUaPki.trustedDir();
  }

  /**
   * Holds the ticks (waits for the tick in progress): nothing is emitted until {@link
   * #releaseTicks()}; the ticks due meanwhile are emitted then, none skipped.
   */
  public void holdTicks() {
    ticksHeld = true;
    onTicker(() -> {});
  }

  /** Emits the ticks held by {@link #holdTicks()} and goes on emitting. */
  public void releaseTicks() {
    ticksHeld = false;
    if (emitting && !closed) {
      ticker.execute(this::runDueTicks);
    }
  }

  /**
   * Stops the OPC UA server as a crash or a maintenance restart would: its sessions and
   * subscriptions are gone. Ticks are held while it is down (see {@link #holdTicks()}), so every
   * value emitted can still be served; {@link #startOpcUa()} brings it back.
   */
  public void stopOpcUa() {
    if (opcUa == null) {
      throw new IllegalStateException("Cannot stop the OPC UA server: it is not running");
    }
    holdTicks();
    onTicker(
        () -> {
          opcUa.close();
        });
  }

  /**
   * Makes the OPC UA server forget every subscription without telling its clients, as a server does
   * when a subscription's lifetime runs out while no Publish request is queued, or a device drops
   * subscriptions under load. Sessions stay active; what the variables do meanwhile reaches no one
   * until a client subscribes again.
   *
   * @return how many subscriptions were dropped
   */
  public int dropOpcUaSubscriptions() {
    if (opcUa == null) {
      throw new IllegalStateException("Cannot drop OPC UA subscriptions: no OPC UA server");
    }
    return opcUa.dropSubscriptions();
  }

  /**
   * Starts the OPC UA server again on the same port, with the same certificate and a fresh address
   * space (no values until the next tick), then releases the ticks.
   */
  public void startOpcUa() {
    onTicker(
        () -> {
          OpcUaFactoryServer old = opcUa;
          opcUa =
              OpcUaFactoryServer.start(
                  old.port(),
                  config.site(),
                  config.area(),
                  opcUaLines,
                  config.opcUaSecurity(),
                  opcUaPki,
                  config.opcUaOptions(),
                  conditions);
          opcUa.namespace().onConditionEvents(emissions::recordEvents);
        });
    releaseTicks();
  }

  /**
   * Starts the OPC UA server again as {@link #startOpcUa()} does but keeps the ticks held: a test
   * lets its client subscribe again first, then calls {@link #releaseTicks()}.
   */
  public void startOpcUaHeld() {
    onTicker(
        () -> {
          OpcUaFactoryServer old = opcUa;
          opcUa =
              OpcUaFactoryServer.start(
                  old.port(),
                  config.site(),
                  config.area(),
                  opcUaLines,
                  config.opcUaSecurity(),
                  opcUaPki,
                  config.opcUaOptions(),
                  conditions);
          opcUa.namespace().onConditionEvents(emissions::recordEvents);
        });
  }

  /**
   * Makes a device's {@code fault} condition active (as if the PLC detected a fault) at the
   * simulated time and fires its event; recorded in {@link #emissions()} like every event.
   *
   * @return the event, empty if the condition was active already (or events are off)
   */
  public List<EmittedEvent> raiseAlarm(String devicePath) {
    return setAlarm(devicePath, true);
  }

  /**
   * Makes a device's {@code fault} condition inactive; it stays retained until acknowledged.
   *
   * @return the event, empty if it was inactive already
   */
  public List<EmittedEvent> clearAlarm(String devicePath) {
    return setAlarm(devicePath, false);
  }

  private List<EmittedEvent> setAlarm(String devicePath, boolean active) {
    requireOpcUa("change an alarm");
    List<EmittedEvent> raised =
        opcUa.namespace().setFault(devicePath, active, micros(simulatedNow()));
    emissions.recordEvents(raised);
    return raised;
  }

  /**
   * Acknowledges a device's {@code fault} condition on the server, as an operator at the HMI would
   * (clients can call the condition's Acknowledge method too).
   *
   * @throws SimulatorException if there is no such condition or it is acknowledged already
   */
  public EmittedEvent acknowledgeAlarm(String devicePath, String comment) {
    requireOpcUa("acknowledge an alarm");
    try {
      EmittedEvent e =
          opcUa.namespace().acknowledge(devicePath, null, comment, micros(simulatedNow()));
      emissions.recordEvents(List.of(e));
      return e;
    } catch (UaException e) {
      throw new SimulatorException(
          "Cannot acknowledge the alarm of " + devicePath + ": " + e.getStatusCode(), e);
    }
  }

  /** The current state of every device's {@code fault} condition (its last event). */
  public List<EmittedEvent> alarmStates() {
    requireOpcUa("read the alarms");
    return opcUa.namespace().conditionStates();
  }

  private void requireOpcUa(String what) {
    if (opcUa == null) {
      throw new IllegalStateException("Cannot " + what + ": the simulator has no OPC UA server");
    }
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  private void onTicker(Runnable task) {
    try {
      ticker.submit(task).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimulatorException("Cannot change the simulator: interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new SimulatorException(
          "Cannot change the simulator: " + e.getCause(), e.getCause() == null ? e : e.getCause());
    }
  }

  /** The MQTT broker the gateway publishes to; null without MQTT lines. */
  public String mqttBrokerUrl() {
    return mqttBrokerUrl;
  }

  /** The machines, their tags and addresses. */
  public PlantModel plant() {
    return plant;
  }

  /** Everything published so far. */
  public EmissionLog emissions() {
    return emissions;
  }

  /**
   * Monitored items on the OPC UA variables that the server has registered (new values reach them
   * from then on); tests wait for it before {@link #startEmitting()}. 0 without OPC UA lines.
   */
  public int opcUaMonitoredItemCount() {
    return opcUa == null ? 0 : opcUa.namespace().pushedItemCount();
  }

  /** The config it runs with (start time resolved). */
  public SimulatorConfig config() {
    return config;
  }

  /** Ticks emitted so far. */
  public long ticksEmitted() {
    return nextTick;
  }

  /** Whether the configured duration has been emitted in full. */
  public boolean isFinished() {
    return finished.getCount() == 0;
  }

  /**
   * Waits until the configured duration has been emitted.
   *
   * @return true if finished, false if {@code timeout} passed first (always, without a duration)
   */
  public boolean awaitFinished(Duration timeout) {
    try {
      return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The simulated clock: {@code startTime} until emission starts, then advancing at {@code speed}
   * and stopping at the end of the duration.
   */
  public Instant simulatedNow() {
    if (!emitting) {
      return config.startTime();
    }
    long simNanos = (long) ((System.nanoTime() - realStartNanos) * config.speed());
    if (config.duration() != null) {
      simNanos = Math.min(simNanos, config.duration().toNanos());
    }
    return config.startTime().plusNanos(simNanos);
  }

  /** Stops emitting, then the gateway, the servers and the embedded broker; flushes the journal. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ticker.shutdown();
    try {
      if (!ticker.awaitTermination(10, TimeUnit.SECONDS)) {
        ticker.shutdownNow();
      }
    } catch (InterruptedException e) {
      ticker.shutdownNow();
      Thread.currentThread().interrupt();
    }
    closeQuietly(gateway);
    closeQuietly(sparkplug);
    closeQuietly(broker);
    closeQuietly(opcUa);
    closeQuietly(emissions);
    LOG.info(
        "Simulated factory stopped: site={}, ticks={}, points={}",
        config.site(),
        nextTick,
        emissions.total());
  }

  private void runDueTicks() {
    long limit = config.tickLimit();
    while (!closed && !ticksHeld) {
      if (limit >= 0 && nextTick >= limit) {
        if (finished.getCount() > 0) {
          finished.countDown();
          LOG.info(
              "Simulated factory finished its duration: site={}, ticks={}, points={}",
              config.site(),
              nextTick,
              emissions.total());
        }
        return;
      }
      long due = realStartNanos + (long) (nextTick * periodNanos);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        ticker.schedule(this::runDueTicks, wait, TimeUnit.NANOSECONDS);
        return;
      }
      try {
        emitTick();
      } catch (RuntimeException e) {
        LOG.error("Simulated tick failed: site={}, tick={}", config.site(), nextTick, e);
      }
      nextTick++;
    }
  }

  private void emitTick() {
    for (Machine machine : machines) {
      SimMachine spec = machine.spec();
      MachineSample sample = machine.model().step();
      Map<String, PointValue> values = sample.values();
      String path = spec.devicePath();
      if (spec.channel() == Channel.OPCUA) {
        List<EmittedEvent> raised =
            opcUa.namespace().publish(spec.line(), spec.device(), sample.tsMicros(), values);
        emissions.record(path, sample.tsMicros(), values, Channel.OPCUA);
        if (!raised.isEmpty()) {
          emissions.recordEvents(raised);
        }
      } else {
        boolean published;
        if (sparkplug != null) {
          published = sparkplug.publish(spec.line(), spec.device(), sample.tsMicros(), values);
        } else {
          byte[] payload = MqttGateway.payload(sample.tsMicros() / 1_000, values);
          published = gateway.publish(spec.topic(), payload);
        }
        if (published) {
          emissions.record(path, sample.tsMicros(), values, Channel.MQTT);
        }
      }
      emissions.recordMeter(
          path, new MeterReading(sample.tsMicros(), sample.energyKwh(), sample.trueEnergyKwh()));
    }
  }

  private static List<Machine> machines(SimulatorConfig config, OpcUaFactoryServer opcUa) {
    List<Machine> machines = new ArrayList<>();
    for (String line : config.lines()) {
      Channel channel = config.channelOf(line);
      for (String device : config.devices()) {
        String path = config.site() + "/" + config.area() + "/" + line + "/" + device;
        MachineModel model =
            new MachineModel(
                config.seed(),
                path,
                config.startTime(),
                config.tick(),
                config.faultProbability(),
                config.idleProbability(),
                config.meterResetProbability(),
                config.driftProbability(),
                config.meterResets().get(path));
        List<SimTag> tags = new ArrayList<>();
        for (SimTag tag : Tags.ALL) {
          String nodeId =
              channel == Channel.OPCUA
                  ? opcUa.namespace().nodeIdString(line, device, tag.name())
                  : null;
          tags.add(new SimTag(tag.name(), tag.type(), tag.unit(), nodeId));
        }
        String topic =
            channel != Channel.MQTT
                ? null
                : config.mqttPayload() == MqttPayload.SPARKPLUG_B
                    ? SparkplugGateway.ddataTopic(config.site(), line, device)
                    : MqttGateway.topic(config.site(), config.area(), line, device);
        SimMachine spec =
            new SimMachine(
                config.site(),
                config.area(),
                line,
                device,
                channel,
                tags,
                topic,
                MachineModel.DIAMETER_LIMITS,
                model.idealCycleTime(),
                model.ratedPowerKw());
        machines.add(new Machine(spec, model));
      }
    }
    return machines;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("Cannot close simulator part: part={}, error={}", closeable, e.toString());
    }
  }
}
