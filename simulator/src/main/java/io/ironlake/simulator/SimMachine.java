package io.ironlake.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated machine and how to reach its data.
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line production line, {@code line-1} ..
 * @param device machine, {@code m01} .. (unique within its line)
 * @param channel OPC UA or MQTT
 * @param tags every tag the machine updates on every tick, in a fixed order
 * @param topic for MQTT machines the topic of its messages (its DDATA topic with Sparkplug B); null
 *     for OPC UA machines
 * @param diameterLimits spec limits of {@code diameter_mm}
 * @param idealCycleTime the ideal time to make one part (for OEE performance)
 * @param ratedPowerKw the machine's rated power while running
 */
public record SimMachine(
    String site,
    String area,
    String line,
    String device,
    Channel channel,
    List<SimTag> tags,
    String topic,
    SpecLimits diameterLimits,
    Duration idealCycleTime,
    double ratedPowerKw) {

  public SimMachine {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(area, "area");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(channel, "channel");
    tags = List.copyOf(tags);
    Objects.requireNonNull(diameterLimits, "diameterLimits");
    Objects.requireNonNull(idealCycleTime, "idealCycleTime");
  }

  /** The device path {@code site/area/line/device}, the Kafka key of its telemetry. */
  public String devicePath() {
    return site + "/" + area + "/" + line + "/" + device;
  }

  /** The tag called {@code name}, if the machine has one. */
  public Optional<SimTag> tag(String name) {
    return tags.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
