package io.ironlake.connectors.sparkplug;

/** The message types of the Sparkplug B topic namespace ({@code spBv1.0/group/TYPE/...}). */
public enum SparkplugMessageType {
  /** Edge node birth certificate: the node's metrics with names, aliases and data types. */
  NBIRTH(Scope.NODE),
  /** Edge node death certificate, usually the node's MQTT will message. */
  NDEATH(Scope.NODE),
  /** Device birth certificate: the device's metrics with names, aliases and data types. */
  DBIRTH(Scope.DEVICE),
  /** Device death certificate. */
  DDEATH(Scope.DEVICE),
  /** Edge node data: values of metrics born in the NBIRTH. */
  NDATA(Scope.NODE),
  /** Device data: values of metrics born in the DBIRTH. */
  DDATA(Scope.DEVICE),
  /** Command to an edge node, e.g. {@code Node Control/Rebirth}. */
  NCMD(Scope.NODE),
  /** Command to a device. */
  DCMD(Scope.DEVICE),
  /** Online state of a host application: {@code spBv1.0/STATE/<host_id>}. */
  STATE(Scope.HOST);

  /** Which part of the topic namespace a message type addresses. */
  public enum Scope {
    NODE,
    DEVICE,
    HOST
  }

  private final Scope scope;

  SparkplugMessageType(Scope scope) {
    this.scope = scope;
  }

  /** Whether the topic of this type names an edge node, a device of one, or a host application. */
  public Scope scope() {
    return scope;
  }
}
