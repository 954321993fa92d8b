package io.ironlake.collector.spool.internal;

import io.ironlake.collector.spool.SpoolException;
import io.ironlake.collector.spool.internal.SegmentLog.RecoveryVisitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the segment files of a spool folder when it opens: every frame is read and checked, a torn
 * or corrupt tail is cut with a WARN, segments wholly before the committed cursor (a crash came
 * before their deletion) and files without a whole header are deleted, and a file that is not a
 * spool segment, or overlaps another, stops the open.
 */
final class SegmentRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentRecovery.class);

  private SegmentRecovery() {}

  /** The segments to keep, oldest first; every valid frame goes to {@code visitor}. */
  static List<SegmentFile> recover(Path dir, long committed, RecoveryVisitor visitor) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> SegmentFile.baseOf(p) >= 0).sorted().toList();
    } catch (IOException e) {
      throw new SpoolException("Cannot list spool folder " + dir + ": " + e, e);
    }
    List<SegmentFile> kept = new ArrayList<>();
    long previousEnd = -1;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      long base = SegmentFile.baseOf(file);
      boolean newest = i == files.size() - 1;
      try {
        long size = Files.size(file);
        if (base < previousEnd) {
          throw new SpoolException(
              "Cannot open spool: segment "
                  + file
                  + " overlaps the one before it (ends at "
                  + previousEnd
                  + "); the folder was changed by hand");
        }
        if (!newest && base + size <= committed) {
          Files.delete(file); // Committed; the crash came before its deletion.
          continue;
        }
        SegmentFile.Scan scan =
            SegmentFile.scan(
                file,
                base,
                (pos, end, payload) -> visitor.frame(pos, end, payload, pos >= committed));
        if (scan.validSize() < SegmentFile.HEADER) {
          LOG.warn("spool segment without a whole header deleted: file={}, bytes={}", file, size);
          Files.delete(file);
          continue;
        }
        if (scan.problem() != null) {
          LOG.warn(
              "spool segment tail torn or corrupt, cut: file={}, problem={}, keptBytes={},"
                  + " cutBytes={}",
              file,
              scan.problem(),
              scan.validSize(),
              scan.fileSize() - scan.validSize());
          SegmentFile.truncate(file, scan.validSize());
        }
        SegmentFile seg = SegmentFile.existing(file, base, scan.validSize());
        kept.add(seg);
        previousEnd = seg.end();
      } catch (IOException e) {
        throw new SpoolException("Cannot recover spool segment " + file + ": " + e, e);
      }
    }
    return kept;
  }
}
