package io.ironlake.collector.spool.internal;

import io.ironlake.collector.spool.FsyncPolicy;
import io.ironlake.collector.spool.SpoolConfig;
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
 * became durable. Not started for {@link FsyncPolicy#NEVER}.
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

  /** Held around every fsync and around closing a segment's file, so they never overlap. */
  Object syncLock() {
    return syncLock;
  }

  void start() {
    if (config.fsync() == FsyncPolicy.NEVER) {
      return;
    }
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
          work.await(intervalNanos, TimeUnit.NANOSECONDS);
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

  /** One fsync of what was written so far and of the cursor, then the due callbacks. */
  private void cycle() {
    SegmentLog.SyncTarget target = log.syncTarget();
    try {
      synchronized (syncLock) {
        // A segment rolled meanwhile was forced by the roll; its sync() is then a no-op.
        target.segment().sync();
      }
      log.cursor().sync();
      errors = 0;
    } catch (IOException e) {
      errors++;
      if ((errors & (errors - 1)) == 0) {
        LOG.error(
            "spool fsync failed, retrying; acknowledgements wait: dir={}, failures={}, error={}",
            config.dir(),
            errors,
            e.toString());
      }
      return;
    }
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
