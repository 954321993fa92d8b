package io.ironlake.simulator;

/** Thrown when the simulated factory cannot start, publish or stop. */
public class SimulatorException extends RuntimeException {

  public SimulatorException(String message) {
    super(message);
  }

  public SimulatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
