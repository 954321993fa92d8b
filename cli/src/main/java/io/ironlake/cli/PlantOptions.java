package io.ironlake.cli;

import picocli.CommandLine.Option;

/** The simulated plant's size, shared by {@code quickstart} and {@code simulate}. */
final class PlantOptions {
  @Option(
      names = "--lines",
      defaultValue = "2",
      description = "Production lines served over OPC UA (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(
      names = "--machines-per-line",
      defaultValue = "5",
      description = "Machines per line (default: ${DEFAULT-VALUE}).")
  int machinesPerLine;

  @Option(
      names = "--mqtt-lines",
      defaultValue = "1",
      description =
          "Further lines whose machines publish JSON over MQTT (default: ${DEFAULT-VALUE}).")
  int mqttLines;
}
