package io.ironlake.collector.spool.internal;

import io.ironlake.collector.seq.StateDirLock;
import io.ironlake.collector.spool.FsyncPolicy;
import io.ironlake.collector.spool.OnFull;
import io.ironlake.collector.spool.SpoolClosedException;
import io.ironlake.collector.spool.SpoolConfig;
import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.collector.spool.SpoolEntryTooLargeException;
import io.ironlake.collector.spool.SpoolException;
import io.ironlake.collector.spool.internal.SegmentFile.Frame;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's files: segments of frames in one folder, a committed cursor, bounded in bytes. One
 * writer position ({@code written}), one reader position ({@code readPos}, the publisher's), one
 * committed position (everything before it is in Kafka). Positions only grow; segments whose every
 * frame is committed are deleted.
 *
 * <p>Threads: appends come from source threads, {@link #poll}, {@link #commit} and {@link #rewind}
 * from the publisher thread, fsyncs from a {@link Flusher}. One lock guards the positions and the
 * segment list; file reads, fsyncs and deletions happen outside it. A roll to a new segment only
 * creates the file under the lock: forcing and closing the old one, forcing the folder and deleting
 * committed segments are the flusher's, so that no source waits for the disk while another one
 * rolls (on a slow disk an fsync takes tens of milliseconds).
 *
 * <p>The tail: while the publisher keeps up, the entries it has not read yet are also kept in
 * memory as they were appended (at most {@link #TAIL_MAX_BYTES} of frames), and {@link #poll} hands
 * them out from there instead of reading the file back and decoding it: the same entries at the
 * same positions, written to the file before the append returned. When the publisher falls further
 * behind (Kafka slow or down) the tail is dropped and filled again only once the publisher has read
 * everything from the files; a rewind reads from the files until it reaches the tail.
 */
public final class SegmentLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);

  /** The most frame bytes the in-memory tail holds before it is dropped. */
  static final int TAIL_MAX_BYTES = 2 << 20;

  /**
   * The most bytes one read of a segment file takes: a larger buffer would be a humongous object
   * for G1 in a small heap (over half a 1 MiB region), allocated outside the young generation.
   */
  static final int READ_CHUNK_BYTES = 256 << 10;

  private final SpoolConfig config;
  private final Path dir;
  private final StateDirLock dirLock;
  private final CursorFile cursor;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition space = lock.newCondition();
  private final Condition readable = lock.newCondition();
  private final Condition committedMoved = lock.newCondition();
  private final TreeMap<Long, SegmentFile> segments = new TreeMap<>();
  // Rolled segments still open for appending, for the flusher to force and close (in order).
  private final List<SegmentFile> retired = new ArrayList<>();
  // Committed segments out of the list, for the flusher to delete; their bytes count until then.
  private final List<SegmentFile> doomed = new ArrayList<>();
  private boolean dirDirty;
  private final Flusher flusher;
  private SegmentFile active;
  private long written;
  private long synced;
  private long readPos;
  private long committed;
  private long diskBytes;
  private boolean refuseBlocking;
  private boolean closed;
  private boolean fullLogged;
  // The publisher's read handle (publisher thread only).
  private SegmentFile readerSegment;
  private RandomAccessFile reader;
  // Appended entries the publisher has not read, in order, ending at written (under the lock).
  private final ArrayDeque<SpoolEntry> tail = new ArrayDeque<>();
  private long tailBytes;
  private boolean tailOff;

  /** Receives each valid frame found when opening the spool. */
  @FunctionalInterface
  public interface RecoveryVisitor {
    /**
     * @param unsent whether the frame is at or after the committed cursor
     */
    void frame(long position, long end, byte[] payload, boolean unsent);
  }

  /** Makes the entry a frame holds once its place in the spool is known. */
  @FunctionalInterface
  public interface EntryAt {
    SpoolEntry at(long position, long end);
  }

  /** Receives each unread frame of a segment that {@link OnFull#DROP_OLDEST} deletes. */
  @FunctionalInterface
  public interface DropVisitor {
    void dropped(long position, long end, byte[] payload);
  }

  private SegmentLog(SpoolConfig config, StateDirLock dirLock, CursorFile cursor) {
    this.config = config;
    this.dir = config.dir();
    this.dirLock = dirLock;
    this.cursor = cursor;
    this.flusher = new Flusher(this, config);
  }

  /**
   * Locks the folder, reads the cursor, checks every segment (cutting a torn or corrupt tail with a
   * WARN, deleting fully committed ones) and opens the newest for appending.
   */
  public static SegmentLog open(SpoolConfig config, RecoveryVisitor visitor) {
    StateDirLock dirLock = StateDirLock.acquire(config.dir(), ".spool.lock");
    CursorFile cursor = null;
    try {
      cursor = CursorFile.open(config.dir().resolve("cursor"));
      SegmentLog log = new SegmentLog(config, dirLock, cursor);
      log.recover(visitor);
      log.flusher.start();
      return log;
    } catch (RuntimeException e) {
      if (cursor != null) {
        cursor.close();
      }
      dirLock.close();
      throw e;
    }
  }

  private void recover(RecoveryVisitor visitor) {
    committed = cursor.position();
    for (SegmentFile seg : SegmentRecovery.recover(dir, committed, visitor)) {
      segments.put(seg.base(), seg);
      diskBytes += seg.size();
    }
    if (segments.isEmpty()) {
      active = SegmentFile.create(dir, committed);
      segments.put(active.base(), active);
      diskBytes += active.size();
      syncDir();
    } else {
      active = segments.lastEntry().getValue();
      active.openForAppend();
    }
    written = active.end();
    synced = written;
    if (committed > written) {
      LOG.warn(
          "spool cursor beyond the data, reset to its end: dir={}, cursor={}, end={}",
          dir,
          committed,
          written);
      committed = written;
      cursor.write(committed);
    }
    readPos = committed;
    normalizeReadPos();
    tailOff = readPos < written; // unsent entries on disk: read them from the files first
  }

  public SpoolConfig config() {
    return config;
  }

  /**
   * Appends one frame, the first {@code length} bytes of {@code frame} ({@link
   * SegmentFile#frameInPlace}), and returns its end position; the array is not kept, so the caller
   * may reuse it. Rolls to a new segment (opened by {@code preamble}) when the frame does not fit
   * the current one. When the spool is full it waits ({@link OnFull#BLOCK}) or deletes the oldest
   * segments ({@link OnFull#DROP_OLDEST}, unread frames to {@code onDrop}). {@code afterWrite} runs
   * under the lock once the frame is written, before any later append can start a segment. {@code
   * entry} makes the entry the publisher gets for this frame (what {@link EntryCodec#decode} would
   * make of its payload), for the in-memory tail.
   *
   * @throws SpoolClosedException when closed, or full while closing
   * @throws SpoolException when the frame cannot fit in a segment, or on I/O errors
   */
  public long appendFrame(
      byte[] frame,
      int length,
      EntryAt entry,
      Supplier<byte[]> preamble,
      DropVisitor onDrop,
      Runnable afterWrite) {
    if (length > config.segmentBytes() - SegmentFile.HEADER) {
      throw new SpoolEntryTooLargeException(
          "Cannot spool an entry of "
              + length
              + " bytes: larger than spool.segment-bytes ("
              + config.segmentBytes()
              + ")");
    }
    long end;
    // Not interruptible: libraries interrupt their callback threads on shutdown, and an append
    // either happens whole or fails; close() wakes a blocked one.
    lock.lock();
    try {
      while (true) {
        checkOpen();
        boolean roll = !active.isEmpty() && active.size() + length > config.segmentBytes();
        byte[] pre = roll ? SegmentFile.frame(preamble.get()) : null;
        long need = length + (roll ? SegmentFile.HEADER + pre.length : 0);
        if (diskBytes + need <= config.maxBytes()) {
          if (roll) {
            roll(pre);
          }
          break;
        }
        if (config.onFull() == OnFull.BLOCK) {
          if (refuseBlocking) {
            throw new SpoolClosedException("Cannot spool: the spool is full and closing");
          }
          if (!fullLogged) {
            fullLogged = true;
            LOG.warn(
                "spool full, sources wait until Kafka takes the backlog: dir={}, diskBytes={},"
                    + " maxBytes={}",
                dir,
                diskBytes,
                config.maxBytes());
          }
          space.awaitUninterruptibly();
        } else if (segments.size() > 1) {
          dropOldest(onDrop);
        } else {
          roll(SegmentFile.frame(preamble.get()));
        }
      }
      if (fullLogged && diskBytes + length <= config.maxBytes() / 2) {
        fullLogged = false;
      }
      long position = active.end();
      active.append(frame, length);
      diskBytes += length;
      written = active.end();
      toTail(entry, position, written);
      afterWrite.run();
      if (config.fsync() != FsyncPolicy.ALWAYS) {
        readable.signalAll();
      }
      end = written;
    } finally {
      lock.unlock();
    }
    if (config.fsync() == FsyncPolicy.ALWAYS) {
      flusher.wake(); // Outside the lock: the two locks are never held together.
    }
    return end;
  }

  /**
   * Keeps a just-written entry for the publisher, unless the tail is off or would grow too large.
   */
  private void toTail(EntryAt entry, long position, long end) {
    if (tailOff) {
      return;
    }
    if (tailBytes + (end - position) > TAIL_MAX_BYTES) {
      // The publisher is behind: it reads from the files until it has caught up.
      tail.clear();
      tailBytes = 0;
      tailOff = true;
      return;
    }
    tail.add(entry.at(position, end));
    tailBytes += end - position;
  }

  /**
   * Takes entries from the tail if it starts at {@code readPos}: consecutive ones before {@code
   * readLimit}, about {@code maxBytes} of them (at least one); null when the files must be read.
   */
  private List<SpoolEntry> takeTail(int maxBytes, long readLimit) {
    SpoolEntry first;
    while ((first = tail.peekFirst()) != null && first.end() <= readPos) {
      tail.pollFirst(); // read from the files meanwhile (a rewind, or before the tail started)
      tailBytes -= first.bytes();
    }
    if (first == null || first.position() != readPos || first.end() > readLimit) {
      return null;
    }
    List<SpoolEntry> out = new ArrayList<>();
    long bytes = 0;
    SpoolEntry e;
    while ((e = tail.peekFirst()) != null
        && e.position() == readPos
        && e.end() <= readLimit
        && (out.isEmpty() || bytes + e.bytes() <= maxBytes)) {
      tail.pollFirst();
      tailBytes -= e.bytes();
      bytes += e.bytes();
      out.add(e);
      readPos = e.end();
    }
    return out;
  }

  private void checkOpen() {
    if (closed) {
      throw new SpoolClosedException("Cannot spool: the spool " + dir + " is closed");
    }
  }

  /**
   * Starts a new segment after the active one. Only the new file is created here, under the lock;
   * the flusher forces (unless fsync is never) and closes the old one, and forces the folder.
   */
  private void roll(byte[] preambleFrame) {
    SegmentFile old = active;
    SegmentFile next = SegmentFile.create(dir, old.end());
    // The flusher forces and closes the old segment, then the folder (the new file's name).
    retired.add(old);
    dirDirty = config.fsync() != FsyncPolicy.NEVER;
    segments.put(next.base(), next);
    active = next;
    diskBytes += next.size();
    long position = active.end();
    active.append(preambleFrame);
    diskBytes += preambleFrame.length;
    written = active.end();
    toTail(SpoolEntry.Internal::new, position, written);
    deleteCommitted();
    LOG.debug("spool segment started: dir={}, base={}", dir, next.base());
  }

  private void dropOldest(DropVisitor onDrop) {
    Map.Entry<Long, SegmentFile> first = segments.pollFirstEntry();
    SegmentFile seg = first.getValue();
    long from = Math.max(readPos, seg.firstFrame());
    if (from < seg.end()) {
      try {
        SegmentFile.scan(
            seg.path(),
            seg.base(),
            (pos, end, payload) -> {
              if (pos >= from) {
                onDrop.dropped(pos, end, payload);
              }
            });
      } catch (IOException e) {
        LOG.error("spool segment unreadable while dropping it: file={}, error={}", seg.path(), e);
      }
    }
    synchronized (flusher.syncLock()) {
      retired.remove(seg);
      seg.delete();
    }
    diskBytes -= seg.size();
    SegmentFile head = segments.firstEntry().getValue();
    if (readPos < head.firstFrame()) {
      readPos = head.firstFrame();
    }
  }

  /**
   * Hands the segments wholly before the committed cursor to the flusher for deletion; true if
   * there were any. Their bytes count until they are deleted ({@link #deleted}).
   */
  private boolean deleteCommitted() {
    boolean any = false;
    while (segments.size() > 1) {
      SegmentFile first = segments.firstEntry().getValue();
      if (first == active || first.end() > committed) {
        break;
      }
      segments.pollFirstEntry();
      doomed.add(first); // The publisher may still hold it open for reading; that keeps working.
      any = true;
    }
    return any;
  }

  void syncDir() {
    // Makes a new file's name durable on Linux; some platforms cannot open a folder.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot fsync spool folder: dir={}, error={}", dir, e.toString());
    }
  }

  /**
   * The next entries for the publisher: up to about {@code maxBytes}, waiting up to {@code
   * timeoutNanos} for at least one; from the in-memory tail when it has them, else read back from
   * the files. Under {@link FsyncPolicy#ALWAYS} only frames already forced to disk are handed out,
   * so nothing reaches Kafka that a power loss could take back from the spool.
   */
  public List<SpoolEntry> poll(int maxBytes, long timeoutNanos) throws InterruptedException {
    SegmentFile seg;
    long from;
    long limit;
    lock.lock();
    try {
      long nanos = timeoutNanos;
      while (true) {
        if (closed) {
          return List.of();
        }
        seg = normalizeReadPos();
        long readLimit = config.fsync() == FsyncPolicy.ALWAYS ? synced : written;
        limit = Math.min(readLimit, seg.end());
        if (readPos < limit) {
          List<SpoolEntry> fromTail = takeTail(maxBytes, readLimit);
          if (fromTail != null) {
            return fromTail;
          }
          from = readPos;
          break;
        }
        if (tailOff && readPos >= written) {
          tailOff = false; // caught up: the next append starts the tail again
        }
        if (nanos <= 0) {
          return List.of();
        }
        nanos = readable.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
    List<Frame> frames;
    try {
      frames = seg.read(readerFor(seg), from, limit, Math.min(maxBytes, READ_CHUNK_BYTES));
    } catch (NoSuchFileException e) {
      return List.of(); // Dropped meanwhile; the next poll starts at the new head.
    } catch (IOException e) {
      throw new SpoolException("Cannot read spool segment " + seg.path() + ": " + e, e);
    }
    lock.lock();
    try {
      if (readPos != from || frames.isEmpty()) {
        return List.of(); // Dropped meanwhile.
      }
      readPos = frames.get(frames.size() - 1).end();
      if (tailOff && readPos >= written) {
        tailOff = false; // caught up: the next append starts the tail again
      }
    } finally {
      lock.unlock();
    }
    List<SpoolEntry> out = new ArrayList<>(frames.size());
    for (Frame f : frames) {
      out.add(EntryCodec.decode(f.payload(), f.position(), f.end()));
    }
    return out;
  }

  /** Moves {@code readPos} into a segment (past ends and holes) and returns that segment. */
  private SegmentFile normalizeReadPos() {
    SegmentFile head = segments.firstEntry().getValue();
    if (readPos < head.firstFrame()) {
      readPos = head.firstFrame();
    }
    while (true) {
      SegmentFile seg = segments.floorEntry(readPos).getValue();
      if (readPos < seg.firstFrame()) {
        readPos = seg.firstFrame();
      }
      if (readPos < seg.end() || seg == active) {
        return seg;
      }
      readPos = segments.higherEntry(seg.base()).getValue().firstFrame();
    }
  }

  private RandomAccessFile readerFor(SegmentFile seg) throws IOException {
    if (readerSegment != seg || reader == null) {
      closeReader();
      if (!Files.exists(seg.path())) {
        throw new NoSuchFileException(seg.path().toString());
      }
      reader = new RandomAccessFile(seg.path().toFile(), "r");
      readerSegment = seg;
    }
    return reader;
  }

  private void closeReader() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        LOG.debug("spool reader close failed: error={}", e.toString());
      }
      reader = null;
      readerSegment = null;
    }
  }

  /**
   * Records that everything before {@code position} is in Kafka: writes the cursor and deletes the
   * segments that are wholly before it.
   */
  public void commit(long position) {
    boolean delete;
    lock.lock();
    try {
      if (position <= committed || closed) {
        return;
      }
      committed = position;
      cursor.write(position);
      delete = deleteCommitted();
      committedMoved.signalAll();
    } finally {
      lock.unlock();
    }
    if (delete) {
      flusher.wake(); // Outside the lock, as everywhere.
    }
  }

  /**
   * Moves the reader back to {@code position} (or the oldest frame still on disk, if later) to send
   * again what Kafka refused; returns the reader's position before.
   */
  public long rewind(long position) {
    lock.lock();
    try {
      long before = readPos;
      readPos = Math.max(position, committed);
      normalizeReadPos();
      return before;
    } finally {
      lock.unlock();
    }
  }

  /** The position of the oldest frame still on disk. */
  public long head() {
    lock.lock();
    try {
      return segments.firstEntry().getValue().firstFrame();
    } finally {
      lock.unlock();
    }
  }

  /** The end of the last frame written. */
  public long written() {
    lock.lock();
    try {
      return written;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until everything before {@code position} is committed; false on timeout or close. */
  public boolean awaitCommitted(long position, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeoutNanos;
      while (committed < position && !closed) {
        if (nanos <= 0) {
          return false;
        }
        nanos = committedMoved.awaitNanos(nanos);
      }
      return committed >= position;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes of all segment files. */
  public long diskBytes() {
    lock.lock();
    try {
      return diskBytes;
    } finally {
      lock.unlock();
    }
  }

  public int segmentCount() {
    lock.lock();
    try {
      return segments.size();
    } finally {
      lock.unlock();
    }
  }

  /** From now on an append that would wait for space fails instead (used while closing). */
  public void refuseBlocking() {
    lock.lock();
    try {
      refuseBlocking = true;
      space.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---- for the Flusher ----

  /**
   * What one flusher cycle does: force and close the {@code retired} segments, force the {@code
   * segment} being appended to (everything before {@code position} is then on disk), force the
   * folder if a segment was created ({@code dirDirty}), and delete the {@code doomed} segments.
   */
  record SyncTarget(
      SegmentFile segment,
      long position,
      List<SegmentFile> retired,
      boolean dirDirty,
      List<SegmentFile> doomed) {}

  /** The next cycle's work; the folder and the doomed segments are the caller's from now on. */
  SyncTarget syncTarget() {
    lock.lock();
    try {
      SyncTarget t =
          new SyncTarget(active, written, List.copyOf(retired), dirDirty, List.copyOf(doomed));
      dirDirty = false;
      doomed.clear();
      return t;
    } finally {
      lock.unlock();
    }
  }

  /** A cycle failed before the folder was forced: the next one forces it. */
  void dirNotSynced() {
    lock.lock();
    try {
      dirDirty = true;
    } finally {
      lock.unlock();
    }
  }

  /** The flusher forced and closed {@code segments}: they leave the retired list. */
  void closed(List<SegmentFile> segments) {
    if (segments.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      retired.removeAll(segments);
    } finally {
      lock.unlock();
    }
  }

  /** The flusher deleted segments of {@code bytes} in all: room for appends waiting for space. */
  void deleted(long bytes) {
    lock.lock();
    try {
      diskBytes -= bytes;
      space.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean needsSync() {
    lock.lock();
    try {
      return written > synced;
    } finally {
      lock.unlock();
    }
  }

  /** Records that everything before {@code position} is on disk. */
  void synced(long position) {
    lock.lock();
    try {
      if (position > synced) {
        synced = position;
        readable.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  CursorFile cursor() {
    return cursor;
  }

  ReentrantLock lock() {
    return lock;
  }

  /** Registers a callback for when everything before {@code position} is durable. */
  public void whenDurable(long position, Runnable callback) {
    flusher.whenDurable(position, callback);
  }

  /**
   * Stops the flusher (which forces what is left), closes the files and releases the folder.
   * Appends after this fail with {@link SpoolClosedException}.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      space.signalAll();
      readable.signalAll();
      committedMoved.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      flusher.stop();
    } finally {
      lock.lock();
      try {
        closeReader();
        synchronized (flusher.syncLock()) {
          // Rolled segments the flusher's last cycle could not force: one more try each.
          for (SegmentFile r : retired) {
            try {
              r.closeWriter(config.fsync() != FsyncPolicy.NEVER);
            } catch (SpoolException e) {
              LOG.error(
                  "spool segment not forced on close: file={}, error={}", r.path(), e.getMessage());
            }
          }
          retired.clear();
          active.closeWriter(config.fsync() != FsyncPolicy.NEVER);
        }
        cursor.close();
      } finally {
        lock.unlock();
        dirLock.close();
      }
    }
  }

  /** Waits for a flusher cycle in tests and benchmarks; not needed in normal use. */
  public void awaitSynced(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (needsSync() && System.nanoTime() < deadline) {
      flusher.wake();
      lock.lock();
      try {
        readable.awaitNanos(TimeUnit.MILLISECONDS.toNanos(10));
      } finally {
        lock.unlock();
      }
    }
  }

  /** For tests: the segment files in order. */
  public List<Path> segmentFiles() {
    lock.lock();
    try {
      List<Path> out = new ArrayList<>();
      segments.values().forEach(s -> out.add(s.path()));
      return out;
    } finally {
      lock.unlock();
    }
  }
}
