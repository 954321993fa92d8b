package io.ironlake.collector.opcua;

import io.ironlake.collector.CollectorException;

/**
 * An OPC UA source could not open its session: the server is unreachable, offers no matching
 * endpoint, refused the user or the collector's certificate, or its own certificate is not trusted.
 * The source keeps retrying with back-off, so fixing the cause (e.g. moving a file into trusted/)
 * is enough.
 */
public class OpcUaConnectException extends CollectorException {
  private final long statusCode;

  public OpcUaConnectException(String message, long statusCode, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
  }

  /** The OPC UA status code behind the failure, or 0 when there is none. */
  public long statusCode() {
    return statusCode;
  }
}
