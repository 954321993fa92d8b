package io.ironlake.simulator.internal;

/** Operating state of a simulated machine, published as the {@code state} tag. */
public enum MachineState {
  RUNNING,
  IDLE,
  DOWN
}
