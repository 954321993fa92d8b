package io.ironlake.jobs.safety;

/** The lifecycle transitions an alarm event reports (ISA-18.2). */
public enum AlarmState {
  /** The condition became true (after its on-delay): the alarm is active and unacknowledged. */
  RAISED,
  /** The condition returned to normal (beyond the deadband). */
  CLEARED,
  /** An operator acknowledged the alarm through the command topic. */
  ACKNOWLEDGED
}
