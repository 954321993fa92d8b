package io.ironlake.simulator;

import java.util.Objects;

/**
 * One tag of a simulated machine.
 *
 * @param name the tag name, e.g. {@code power_kw}
 * @param type the value type
 * @param unit the engineering unit, e.g. {@code kW}; empty for counters and states
 * @param nodeId for OPC UA machines the variable's NodeId, {@code ns=<index>;s=<path>/<tag>}; null
 *     for MQTT machines
 */
public record SimTag(String name, TagType type, String unit, String nodeId) {

  public SimTag {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(unit, "unit");
  }
}
