package io.ironlake.connectors.record;

/** Quality of a telemetry point, as OPC UA classifies status codes. */
public enum Quality {
  GOOD,
  UNCERTAIN,
  BAD;

  /**
   * Derives the quality from a raw OPC UA status code: its two top bits are the severity (00 good,
   * 01 uncertain, 10 and 11 bad).
   */
  public static Quality fromStatusCode(long statusCode) {
    int severity = (int) ((statusCode >>> 30) & 0x3);
    switch (severity) {
      case 0:
        return GOOD;
      case 1:
        return UNCERTAIN;
      default:
        return BAD;
    }
  }
}
