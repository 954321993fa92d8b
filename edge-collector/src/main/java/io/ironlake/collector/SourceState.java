package io.ironlake.collector;

/** The state of a {@link TelemetrySource}. */
public enum SourceState {
  /** Not yet connected and subscribed since it started. */
  CONNECTING,
  /** Connected, with every subscription in place. */
  READY,
  /** Was ready, lost the connection, trying again with back-off. */
  RECONNECTING,
  /** Closed. */
  CLOSED
}
