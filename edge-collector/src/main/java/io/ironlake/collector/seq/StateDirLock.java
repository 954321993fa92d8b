package io.ironlake.collector.seq;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a collector's state folder, so two collectors never hand out the same
 * sequence numbers from one folder.
 */
public final class StateDirLock implements AutoCloseable {
  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private StateDirLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the folder if needed and locks it.
   *
   * @throws CollectorStateException when another collector holds it or it cannot be created
   */
  public static StateDirLock acquire(Path dir) {
    return acquire(dir, ".lock");
  }

  /**
   * Creates the folder if needed and locks it through the file {@code lockFile} in it (the spool
   * uses its own, so its folder may also be the state folder).
   *
   * @throws CollectorStateException when another collector holds it or it cannot be created
   */
  public static StateDirLock acquire(Path dir, String lockFile) {
    FileChannel ch = null;
    try {
      Files.createDirectories(dir);
      ch =
          FileChannel.open(
              dir.resolve(lockFile), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw new CollectorStateException(
            "Cannot lock state folder " + dir + ": another collector is using it");
      }
      return new StateDirLock(dir, ch, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new CollectorStateException(
          "Cannot lock state folder " + dir + ": another collector in this JVM is using it", e);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new CollectorStateException("Cannot lock state folder " + dir + ": " + e, e);
    } catch (CollectorStateException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  /** The locked folder. */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // The channel close below releases it too.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // Nothing to do: the lock goes with the channel.
      }
    }
  }
}
