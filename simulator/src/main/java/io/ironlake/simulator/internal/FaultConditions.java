package io.ironlake.simulator.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * What a PLC keeps when its OPC UA server restarts: the state of every device's {@code fault}
 * condition and each machine's last state. One instance lives as long as the simulator; each
 * (re)started {@link FactoryNamespace} builds its condition nodes from it. Guarded by the lock of
 * the namespace that uses it (one at a time).
 */
public final class FaultConditions {
  final Map<String, Condition> byDevice = new HashMap<>();
  final Map<String, String> lastState = new HashMap<>();

  /** A device's condition; a new one is inactive and acknowledged (nothing to report). */
  Condition of(String devicePath) {
    return byDevice.computeIfAbsent(devicePath, p -> new Condition());
  }

  /** The mutable state of one {@code fault} condition. */
  static final class Condition {
    boolean active;
    boolean acked = true;
    int severity = FactoryEvents.CLEARED_SEVERITY;
    String message = "";
    long tsMicros;
    byte[] eventId = new byte[0];

    boolean retain() {
      return active || !acked;
    }
  }
}
