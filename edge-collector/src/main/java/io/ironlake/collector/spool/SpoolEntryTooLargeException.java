package io.ironlake.collector.spool;

/** An entry that can never be spooled: it does not fit into one segment ({@code segment-bytes}). */
public final class SpoolEntryTooLargeException extends SpoolException {
  public SpoolEntryTooLargeException(String message) {
    super(message);
  }
}
