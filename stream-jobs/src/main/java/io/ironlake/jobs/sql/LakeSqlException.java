package io.ironlake.jobs.sql;

/** A SQL statement over the lakehouse could not run; the message says why, for the CLI to print. */
public final class LakeSqlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LakeSqlException(String message, Throwable cause) {
    super(message, cause);
  }
}
