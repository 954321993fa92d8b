package io.ironlake.jobs.safety;

/** Alarm priority, as ISA-18.2 asks every alarm to have (how fast the operator must respond). */
public enum Priority {
  HIGH,
  MEDIUM,
  LOW
}
