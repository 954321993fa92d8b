package io.ironlake.cli;

import io.ironlake.cli.quickstart.CollectorConfigFile;
import io.ironlake.embedded.EmbeddedMqttBroker;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs only the simulated factory: an OPC UA server and an MQTT gateway with its broker. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a simulated factory (OPC UA server and MQTT gateway) until Ctrl-C.",
      "",
      "An OPC UA server (Eclipse Milo) and an MQTT gateway",
      "publishing JSON to an embedded MQTT 3.1.1 broker. Writes a collector config that maps it to",
      "<data-dir>/simulator/collector.yaml. INSECURE: anonymous access, for a laptop or a test bench."
    })
final class SimulateCommand implements Callable<Integer> {
  @Mixin DataDirOption data;

  @Mixin PlantOptions plant;

  @Option(
      names = "--opcua-port",
      defaultValue = "4840",
      description = "OPC UA port (default: ${DEFAULT-VALUE}).")
  int opcUaPort;

  @Option(
      names = "--mqtt-port",
      defaultValue = "1883",
      description = "MQTT broker port (default: ${DEFAULT-VALUE}).")
  int mqttPort;

  @Option(
      names = "--mqtt-broker",
      description = "Publish to this MQTT broker (tcp://host:port) instead of starting one.")
  String mqttBroker;

  @Option(
      names = "--speed",
      defaultValue = "1",
      description = "Simulated seconds per real second (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--tick",
      defaultValue = "1s",
      description = "Simulated time between updates (default: ${DEFAULT-VALUE}).")
  Duration tick;

  @Option(
      names = "--duration",
      description = "Emit for this much simulated time, then stop emitting.")
  Duration duration;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--kafka",
      defaultValue = "127.0.0.1:9092",
      description =
          "Kafka bootstrap servers written into the collector config (default: ${DEFAULT-VALUE}).")
  String kafka;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    EmbeddedMqttBroker broker = null;
    String brokerUrl = mqttBroker;
    if (brokerUrl == null && plant.mqttLines > 0) {
      broker = EmbeddedMqttBroker.start(mqttPort, data.dataDir().resolve("mqtt"));
      brokerUrl = broker.url();
    }
    SimulatorConfig.Builder config =
        SimulatorConfig.builder()
            .opcUaPort(opcUaPort)
            .opcUaLines(plant.lines)
            .mqttLines(plant.mqttLines)
            .machinesPerLine(plant.machinesPerLine)
            .tick(tick)
            .speed(speed)
            .seed(seed)
            .dataDir(data.dataDir());
    if (brokerUrl != null) {
      config.mqttBrokerUrl(brokerUrl);
    }
    if (duration != null) {
      config.duration(duration);
    }
    try (EmbeddedMqttBroker ignored = broker;
        SimulatedFactory factory = SimulatedFactory.start(config.build())) {
      Path file =
          CollectorConfigFile.write(
              data.dataDir().resolve("simulator").resolve("collector.yaml"),
              factory.plant(),
              factory.opcUaEndpoint(),
              factory.mqttBrokerUrl(),
              kafka,
              data.dataDir().resolve("collector-state"));
      out.println("Simulated factory running (INSECURE: anonymous access). Ctrl-C to stop.");
      out.println("  OPC UA endpoint:  " + factory.opcUaEndpoint());
      out.println("  MQTT broker:      " + factory.mqttBrokerUrl());
      out.println("  machines:         " + factory.plant().machines().size());
      out.println("  collector config: " + file);
      out.println("  emission log:     " + data.dataDir().resolve("simulator/emissions.jsonl"));
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "ironlake-simulate-stop"));
      stop.await();
      out.printf("Emitted %,d points.%n", factory.emissions().total());
      out.flush();
    }
    return 0;
  }
}
