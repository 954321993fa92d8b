package io.ironlake.collector.config;

import java.util.Objects;

/**
 * One OPC UA node and the place of its points in the plant model ({@code sources[].nodes[]}).
 *
 * @param nodeId {@code node-id}, e.g. {@code nsu=urn:ironlake:simulator;s=plant/a/l/m01/power_kw}
 * @param site {@code site}
 * @param area {@code area}
 * @param line {@code line}
 * @param device {@code device}
 * @param tag {@code tag}
 * @param unit {@code unit}, empty when unknown
 * @param deadband {@code deadband-type} and {@code deadband-value}; {@link Deadband#NONE} when not
 *     set
 */
public record NodeMapping(
    String nodeId,
    String site,
    String area,
    String line,
    String device,
    String tag,
    String unit,
    Deadband deadband) {

  public NodeMapping {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(area, "area");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(tag, "tag");
    unit = unit == null ? "" : unit;
    // A plant's names repeat over thousands of nodes: one instance of each keeps the mapping small,
    // and the per-value comparisons downstream (the handover filter's device lookup, the point
    // writer's string table) then match by reference.
    site = site.intern();
    area = area.intern();
    line = line.intern();
    device = device.intern();
    tag = tag.intern();
    unit = unit.intern();
    deadband = deadband == null ? Deadband.NONE : deadband;
  }

  /** A node without a deadband. */
  public NodeMapping(
      String nodeId,
      String site,
      String area,
      String line,
      String device,
      String tag,
      String unit) {
    this(nodeId, site, area, line, device, tag, unit, Deadband.NONE);
  }

  /** This mapping with another unit. */
  public NodeMapping withUnit(String unit) {
    return new NodeMapping(nodeId, site, area, line, device, tag, unit, deadband);
  }

  /** The device path {@code site/area/line/device}. */
  public String devicePath() {
    return site + "/" + area + "/" + line + "/" + device;
  }
}
