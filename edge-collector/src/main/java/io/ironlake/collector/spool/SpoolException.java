package io.ironlake.collector.spool;

import io.ironlake.collector.CollectorException;

/** The spool cannot do what was asked: I/O error, a corrupt file it cannot repair, or closed. */
public class SpoolException extends CollectorException {
  public SpoolException(String message) {
    super(message);
  }

  public SpoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
