package io.ironlake.collector.mqtt;

import io.ironlake.collector.CollectorException;

/** A payload cannot become points; the message is the dead letter's reason. */
public class InvalidPayloadException extends CollectorException {
  public InvalidPayloadException(String reason) {
    super(reason);
  }
}
