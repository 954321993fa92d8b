package io.ironlake.simulator;

/** How a simulated machine publishes its tags. */
public enum Channel {
  /** Variables on the simulator's OPC UA server. */
  OPCUA,
  /** One JSON message per tick on the MQTT broker, as a shop-floor gateway would send. */
  MQTT
}
