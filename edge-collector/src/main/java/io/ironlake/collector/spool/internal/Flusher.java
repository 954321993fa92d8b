package io.ironlake.collector.spool.internal;

import io.ironlake.collector.spool.FsyncPolicy;
import io.ironlake.collector.spool.SpoolConfig;
import io.ironlake.collector.spool.SpoolException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces the spool to disk in the background: every {@code fsync-interval-ms} ({@link
 * FsyncPolicy#INTERVAL}), or as soon as something was written ({@link FsyncPolicy#ALWAYS}, group
 * commit: appends that arrive during one fsync share the next), then runs the callbacks of what
 * became durable. It also does the spool's slow file work off the append path: forcing and closing
 * the segments a roll left behind, forcing the folder after a new segment, and deleting the
 * segments Kafka has all of. With {@link FsyncPolicy#NEVER} it forces nothing and only does that
 * work, every {@code fsync-interval-ms} or when asked.
 */
final class Flusher {
  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

  private final SegmentLog log;
  private final SpoolConfig config;
  private final Object syncLock = new Object();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private Thread thread;
  private boolean stopping;
  private boolean woken;
  private long errors;

  private record Pending(long position, Runnable callback) {}

  Flusher(SegmentLog log, SpoolConfig config) {
    this.log = log;
    this.config = config;
  }

  /**
   * Held around every fsync and around closing a segment's file, so they never overlap; never held
   * while taking the log's lock.
   */
  Object syncLock() {
    return syncLock;
  }

  void start() {
    thread = new Thread(this::run, "ironlake-spool-fsync");
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks for a cycle now (group commit); never call it holding the log's lock. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code callback} once everything before {@code position} is forced to disk. */
  void whenDurable(long position, Runnable callback) {
    lock.lock();
    try {
      pending.add(new Pending(position, callback));
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    long intervalNanos = TimeUnit.MILLISECONDS.toNanos(config.fsyncIntervalMs());
    boolean always = config.fsync() == FsyncPolicy.ALWAYS;
    while (true) {
      // Lock order: the log's lock is never taken while holding this one.
      boolean behind = always && log.needsSync();
      lock.lock();
      try {
        if (stopping) {
          return;
        }
        if (always) {
          // A bounded wait: the cursor is forced now and then too.
          long nanos = intervalNanos;
          while (!woken && !behind && pending.isEmpty() && !stopping && nanos > 0) {
            nanos = work.awaitNanos(nanos);
          }
          woken = false;
        } else {
          if (!woken) {
            work.await(intervalNanos, TimeUnit.NANOSECONDS);
          }
          woken = false;
        }
        if (stopping) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      cycle();
    }
  }

  /**
   * One cycle: force and close the rolled segments, force what was written so far, the folder and
   * the cursor (nothing with {@link FsyncPolicy#NEVER}), delete the committed segments, then run
   * the due callbacks.
   */
  private void cycle() {
    SegmentLog.SyncTarget target = log.syncTarget();
    boolean sync = config.fsync() != FsyncPolicy.NEVER;
    try {
      synchronized (syncLock) {
        if (sync) {
          // The rolled segments first: their frames come before the active segment's.
          for (SegmentFile s : target.retired()) {
            s.sync(); // A segment deleted meanwhile has no writer left: a no-op.
          }
          target.segment().sync();
        }
        for (SegmentFile s : target.retired()) {
          closeQuietly(s);
        }
      }
      log.closed(target.retired());
      if (target.dirDirty()) {
        log.syncDir();
      }
      if (sync) {
        log.cursor().sync();
      }
      errors = 0;
    } catch (IOException e) {
      // The rolled segments stay open and are forced again next time, the folder too.
      if (target.dirDirty()) {
        log.dirNotSynced();
      }
      errors++;
      if ((errors & (errors - 1)) == 0) {
        LOG.error(
            "spool fsync failed, retrying; acknowledgements wait: dir={}, failures={}, error={}",
            config.dir(),
            errors,
            e.toString());
      }
      delete(target.doomed());
      return;
    }
    delete(target.doomed());
    log.synced(target.position());
    List<Runnable> due = new ArrayList<>();
    lock.lock();
    try {
      while (!pending.isEmpty() && pending.peek().position() <= target.position()) {
        due.add(pending.poll().callback());
      }
    } finally {
      lock.unlock();
    }
    due.forEach(Flusher::runQuietly);
  }

  /** Deletes committed segments (their files may still be open for reading: that keeps working). */
  private void delete(List<SegmentFile> doomed) {
    long bytes = 0;
    for (SegmentFile s : doomed) {
      try {
        synchronized (syncLock) {
          s.delete();
        }
      } catch (SpoolException e) {
        // Committed data: a file left behind is deleted when the spool opens next.
        LOG.warn("spool segment not deleted: dir={}, error={}", config.dir(), e.getMessage());
      }
      bytes += s.size();
    }
    if (!doomed.isEmpty()) {
      log.deleted(bytes);
    }
  }

  private static void closeQuietly(SegmentFile s) {
    try {
      s.closeWriter(false);
    } catch (SpoolException e) {
      // Forced already: what it holds is on disk.
      LOG.warn("spool segment not closed: file={}, error={}", s.path(), e.getMessage());
    }
  }

  private static void runQuietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("spool durability callback failed: error={}", e.toString());
    }
  }

  /**
   * Stops the thread after one last fsync. Callbacks still waiting after it (the fsync failed) are
   * dropped: their input was not acknowledged and comes again.
   */
  void stop() {
    Thread t = thread;
    if (t == null) {
      return;
    }
    lock.lock();
    try {
      stopping = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cycle();
    lock.lock();
    try {
      pending.clear();
    } finally {
      lock.unlock();
    }
  }
}
