package io.ironlake.simulator;

import io.ironlake.connectors.record.PointValue;
import java.util.Objects;

/**
 * One value the simulator published.
 *
 * @param devicePath {@code site/area/line/device}
 * @param tag the tag name
 * @param tsMicros the simulated source timestamp, microseconds since the epoch (UTC)
 * @param value the value as published
 * @param channel where it was published
 */
public record EmittedPoint(
    String devicePath, String tag, long tsMicros, PointValue value, Channel channel) {

  public EmittedPoint {
    Objects.requireNonNull(devicePath, "devicePath");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(channel, "channel");
  }
}
