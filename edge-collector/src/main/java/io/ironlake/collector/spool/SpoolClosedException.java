package io.ironlake.collector.spool;

/** An append came after the spool started closing; its input was not stored or acknowledged. */
public final class SpoolClosedException extends SpoolException {
  public SpoolClosedException(String message) {
    super(message);
  }
}
