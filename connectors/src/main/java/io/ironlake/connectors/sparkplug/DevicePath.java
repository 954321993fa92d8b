package io.ironlake.connectors.sparkplug;

import java.util.Objects;

/**
 * The ISA-95 place of a Sparkplug edge node or device in the plant model.
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device
 */
public record DevicePath(String site, String area, String line, String device) {
  public DevicePath {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(area, "area");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(device, "device");
  }

  /** {@code site/area/line/device}, the Kafka key. */
  @Override
  public String toString() {
    return site + "/" + area + "/" + line + "/" + device;
  }
}
