package io.ironlake.collector.mqtt.internal;

/** Readable names of the MQTT reason codes a collector meets when connecting and subscribing. */
final class MqttReasons {
  private MqttReasons() {}

  /** The meaning of a CONNACK / SUBACK reason code or Paho client code, for messages. */
  static String describe(int code, boolean mqtt5) {
    if (!mqtt5) {
      switch (code) {
        case 1:
          return "the broker refused the protocol version MQTT 3.1.1";
        case 2:
          return "the broker refused the client id";
        case 3:
          return "the broker is unavailable";
        case 4:
          return "the broker refused the user name or password";
        case 5:
          return "not authorized: the broker refused the login";
        default:
          break;
      }
    }
    switch (code) {
      case 128:
        return "unspecified error";
      case 132:
        return "the broker does not support MQTT 5 (set mqtt-version: \"3.1.1\")";
      case 133:
        return "the broker refused the client id";
      case 134:
        return "the broker refused the user name or password";
      case 135:
        return "not authorized (a wrong user name or password, or a user without access)";
      case 136:
        return "the broker is unavailable";
      case 137:
        return "the broker is busy";
      case 138:
        return "the client is banned";
      case 143:
        return "invalid topic filter";
      case 158:
        return "the broker does not support shared subscriptions";
      case 50001:
        return "the broker refused the connection (an MQTT 3.1.1-only broker refuses MQTT 5: set"
            + " mqtt-version: \"3.1.1\")";
      default:
        return null;
    }
  }
}
