package io.ironlake.collector.mqtt;

import io.ironlake.collector.CollectorException;

/**
 * The broker refused or dropped what the MQTT source asked for (connect, subscribe), with the MQTT
 * reason code when there is one ({@code -1} otherwise); the source retries with back-off.
 */
public class MqttClientException extends CollectorException {
  private final int reasonCode;

  public MqttClientException(String message, int reasonCode, Throwable cause) {
    super(message, cause);
    this.reasonCode = reasonCode;
  }

  /** The MQTT reason code (or Paho's client-side code), {@code -1} when unknown. */
  public int reasonCode() {
    return reasonCode;
  }
}
