package io.ironlake.jobs.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the newest complete savepoint or retained checkpoint under Ironlake's Flink folders: a
 * directory holding a {@code _metadata} file, either {@code <savepoints>/savepoint-*} or {@code
 * <checkpoints>/<job id>/chk-<n>}.
 */
public final class RestorePoints {
  private RestorePoints() {}

  /** The newest restore point, by the time its {@code _metadata} was written. */
  public static Optional<Path> newest(Path checkpointDir, Path savepointDir) {
    List<Path> candidates = new ArrayList<>();
    candidates.addAll(children(savepointDir));
    for (Path jobDir : children(checkpointDir)) {
      candidates.addAll(children(jobDir));
    }
    return candidates.stream()
        .filter(dir -> Files.isRegularFile(dir.resolve("_metadata")))
        .max(Comparator.comparing(RestorePoints::metadataTime));
  }

  /**
   * Deletes per-job checkpoint folders that hold no file at all (what a finished or stopped job
   * leaves behind), so runs do not pile up empty folders. Returns how many were removed.
   */
  public static int removeEmptyJobDirs(Path checkpointDir) {
    int removed = 0;
    for (Path jobDir : children(checkpointDir)) {
      try (Stream<Path> tree = Files.walk(jobDir)) {
        if (tree.anyMatch(Files::isRegularFile)) {
          continue;
        }
      } catch (IOException e) {
        continue;
      }
      try (Stream<Path> tree = Files.walk(jobDir)) {
        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
        removed++;
      } catch (IOException e) {
        // Left for the next start; nothing depends on it.
      }
    }
    return removed;
  }

  private static FileTime metadataTime(Path dir) {
    try {
      return Files.getLastModifiedTime(dir.resolve("_metadata"));
    } catch (IOException e) {
      return FileTime.fromMillis(0L);
    }
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
