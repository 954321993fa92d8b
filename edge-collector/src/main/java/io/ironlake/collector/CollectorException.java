package io.ironlake.collector;

/** The unchecked base of every failure the edge collector reports; subclasses name the kind. */
public class CollectorException extends RuntimeException {
  public CollectorException(String message) {
    super(message);
  }

  public CollectorException(String message, Throwable cause) {
    super(message, cause);
  }
}
