package io.ironlake.simulator;

import java.util.List;
import java.util.Optional;

/**
 * What the simulated factory consists of: every machine, its channel, tags and addresses.
 *
 * @param namespaceUri the OPC UA namespace URI of the simulator's variables
 * @param machines every machine, OPC UA lines first, in line and device order
 */
public record PlantModel(String namespaceUri, List<SimMachine> machines) {

  public PlantModel {
    machines = List.copyOf(machines);
  }

  /** The machine with this device path ({@code site/area/line/device}), if any. */
  public Optional<SimMachine> machine(String devicePath) {
    return machines.stream().filter(m -> m.devicePath().equals(devicePath)).findFirst();
  }

  /** The machines served over {@code channel}. */
  public List<SimMachine> machines(Channel channel) {
    return machines.stream().filter(m -> m.channel() == channel).toList();
  }

  /** Every OPC UA NodeId string of every OPC UA machine's tags. */
  public List<String> opcUaNodeIds() {
    return machines(Channel.OPCUA).stream()
        .flatMap(m -> m.tags().stream())
        .map(SimTag::nodeId)
        .toList();
  }
}
