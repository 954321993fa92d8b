package io.ironlake.collector.seq;

import io.ironlake.collector.CollectorException;

/** The collector's state folder cannot be read, written or locked. */
public class CollectorStateException extends CollectorException {
  public CollectorStateException(String message, Throwable cause) {
    super(message, cause);
  }

  public CollectorStateException(String message) {
    super(message);
  }
}
