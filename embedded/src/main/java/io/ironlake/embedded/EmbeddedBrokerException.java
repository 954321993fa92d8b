package io.ironlake.embedded;

/** Thrown when an embedded broker cannot start, serve a request or stop. */
public class EmbeddedBrokerException extends RuntimeException {

  public EmbeddedBrokerException(String message) {
    super(message);
  }

  public EmbeddedBrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
