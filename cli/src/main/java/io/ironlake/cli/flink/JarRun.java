package io.ironlake.cli.flink;

import java.util.List;
import java.util.Optional;

/**
 * What to run from an uploaded jar ({@code POST /jars/{id}/run}).
 *
 * @param entryClass the main class
 * @param programArgs the program arguments
 * @param parallelism the job's default parallelism, or empty for the cluster's
 * @param savepointPath a savepoint or retained checkpoint to start from, or empty
 * @param allowNonRestoredState whether state of operators missing from the job may be skipped
 */
public record JarRun(
    String entryClass,
    List<String> programArgs,
    Optional<Integer> parallelism,
    Optional<String> savepointPath,
    boolean allowNonRestoredState) {
  public JarRun {
    programArgs = List.copyOf(programArgs);
  }
}
