package io.ironlake.simulator;

/** The payload format of the simulated MQTT lines. */
public enum MqttPayload {
  /**
   * One JSON message per machine per tick on {@code
   * factory/<site>/<area>/<line>/<device>/telemetry}.
   */
  JSON,
  /**
   * Sparkplug B: each MQTT line is an edge node ({@code spBv1.0/<site>/.../<line>}) and each of its
   * machines a device; births with aliases, DDATA by alias each tick, NDEATH as the will message.
   */
  SPARKPLUG_B
}
