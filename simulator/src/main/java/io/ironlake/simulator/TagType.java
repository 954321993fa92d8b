package io.ironlake.simulator;

/** The data type of a simulated tag; OPC UA variables use Double, Int64 and String. */
public enum TagType {
  DOUBLE,
  LONG,
  STRING
}
