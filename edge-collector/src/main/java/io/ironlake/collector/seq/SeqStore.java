package io.ironlake.collector.seq;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out the sequence numbers of one (collector, source), never the same twice, across restarts
 * and crashes.
 *
 * <p>Block reservation: before the first number of a block is handed out, the start of the next
 * block is written durably (temp file, fsync, atomic rename, fsync of the folder). A restart
 * continues from the persisted number, so after a crash the numbering skips the rest of the block
 * but never repeats. A clean {@link #close()} persists the exact next number, so a clean restart
 * leaves no gap.
 *
 * <pre>{@code
 * try (SeqStore seq = SeqStore.open(stateDir.resolve("seq/edge-1/opcua-plant.seq"), 10_000)) {
 *   long n = seq.next();
 * }
 * }</pre>
 */
public final class SeqStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SeqStore.class);

  private final Path file;
  private final long blockSize;
  private long next;
  private long reservedUntil;
  private boolean closed;

  private SeqStore(Path file, long blockSize, long next) {
    this.file = file;
    this.blockSize = blockSize;
    this.next = next;
    this.reservedUntil = next;
  }

  /**
   * Opens the counter in {@code file}, creating it (starting at 0) when absent.
   *
   * @throws CollectorStateException when the file cannot be read or is corrupt
   */
  public static SeqStore open(Path file, long blockSize) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("Invalid blockSize: " + blockSize + " < 1");
    }
    long start = 0;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (Files.exists(file)) {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
          start = Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new CollectorStateException(
              "Cannot read sequence counter "
                  + file
                  + ": expected a number, found \""
                  + abbreviate(text)
                  + "\"; restore it from a backup or move it away to restart numbering at 0"
                  + " (which repeats numbers downstream dedup has seen)");
        }
        if (start < 0) {
          throw new CollectorStateException(
              "Cannot read sequence counter " + file + ": negative value " + start);
        }
      }
    } catch (IOException e) {
      throw new CollectorStateException("Cannot open sequence counter " + file + ": " + e, e);
    }
    LOG.debug("seq store opened: file={}, next={}", file, start);
    return new SeqStore(file, blockSize, start);
  }

  /** The next number; reserves (durably) a new block first when the current one is used up. */
  public synchronized long next() {
    return next(1);
  }

  /**
   * Takes {@code count} consecutive numbers and returns the first; reserves (durably) what they
   * need first, at least a block.
   */
  public synchronized long next(int count) {
    if (closed) {
      throw new IllegalStateException("Cannot hand out a sequence number: " + file + " is closed");
    }
    if (count < 1) {
      throw new IllegalArgumentException("Invalid count: " + count + " < 1");
    }
    if (Math.addExact(next, count) > reservedUntil) {
      long until = Math.addExact(next, Math.max(blockSize, count));
      write(until);
      reservedUntil = until;
    }
    long first = next;
    next += count;
    return first;
  }

  /** The number {@link #next()} would return, without taking it. */
  public synchronized long peek() {
    return next;
  }

  /** Persists the exact next number, so a clean restart continues without a gap. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (next != reservedUntil) {
      write(next);
    }
  }

  private void write(long value) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new CollectorStateException(
            "Cannot persist sequence counter " + file + ": the file system has no atomic rename",
            e);
      }
      fsyncDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new CollectorStateException("Cannot persist sequence counter " + file + ": " + e, e);
    }
  }

  private static void fsyncDirectory(Path dir) {
    // Makes the rename durable on Linux; some platforms cannot open a folder, which is fine there.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot fsync folder: dir={}, error={}", dir, e.toString());
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
