package io.ironlake.cli.flink;

/** A Flink cluster could not be reached, refused a request, or the job did not start. */
public final class FlinkRestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FlinkRestException(String message) {
    super(message);
  }

  public FlinkRestException(String message, Throwable cause) {
    super(message, cause);
  }
}
