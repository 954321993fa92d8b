package io.ironlake.collector.spool;

import io.ironlake.collector.internal.Micros;
import io.ironlake.collector.spool.internal.EntryCodec;
import io.ironlake.collector.spool.internal.RecentMarks;
import io.ironlake.collector.spool.internal.SegmentFile;
import io.ironlake.collector.spool.internal.SegmentLog;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's write-ahead spool: every point (numbered, encoded) and every dead letter is
 * appended here before its source is acknowledged, and the Kafka publisher drains it in order,
 * committing what Kafka acknowledged. On disk: segment files of CRC-checked frames and a committed
 * cursor ({@code spool.dir}); bounded by {@code spool.max-bytes} with a policy when full ({@link
 * OnFull}). On open it recovers: cuts a torn tail, and hands out everything after the cursor again.
 *
 * <pre>{@code
 * try (Spool spool = Spool.open(SpoolConfig.defaults(dir), Clock.systemUTC())) {
 *   spool.append("opcua-plant", Spool.NO_MARK, numberedPoints, () -> {});   // source side
 *   List<SpoolEntry> entries = spool.poll(1 << 20, Duration.ofMillis(100)); // publisher side
 *   // ... send, then:
 *   spool.acknowledge(entries);
 * }
 * }</pre>
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  /** The mark of input that has none (OPC UA). */
  public static final long NO_MARK = -1;

  /** Each appending thread's frame array, reused from one entry to the next. */
  private static final ThreadLocal<EntryCodec.FrameBuffer> FRAMES =
      ThreadLocal.withInitial(EntryCodec.FrameBuffer::new);

  private final SpoolConfig config;
  private final Clock clock;
  private final RecentMarks marks = new RecentMarks();
  private final AtomicLong depthPoints = new AtomicLong();
  private final AtomicLong depthBytes = new AtomicLong();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder redeliveriesSkipped = new LongAdder();
  private final LongAdder appendErrors = new LongAdder();
  private final List<DroppedRange> droppedRanges = new CopyOnWriteArrayList<>();
  private SegmentLog log;
  private long replayLimit; // publisher thread only

  private Spool(SpoolConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * Opens (or creates) the spool in {@code config.dir()}, locking the folder, and recovers it.
   *
   * @throws SpoolException when the folder is in use or holds files it cannot read
   */
  public static Spool open(SpoolConfig config, Clock clock) {
    Spool spool = new Spool(config, clock);
    long[] recovered = new long[3];
    spool.log =
        SegmentLog.open(
            config,
            (position, end, payload, unsent) -> {
              EntryCodec.Summary s = EntryCodec.summary(payload);
              if (s.type() == EntryCodec.MARKS) {
                spool.marks.addAll(EntryCodec.readMarks(payload));
              } else {
                spool.marks.add(s.source(), s.mark());
              }
              if (unsent) {
                recovered[0] += s.points();
                recovered[1] += end - position;
                recovered[2] += s.type() == EntryCodec.LETTER ? 1 : 0;
              }
            });
    spool.depthPoints.set(recovered[0]);
    spool.depthBytes.set(recovered[1]);
    spool.replayLimit = spool.log.written();
    LOG.info(
        "spool opened: dir={}, segments={}, diskBytes={}, unsentPoints={}, unsentDeadLetters={},"
            + " unsentBytes={}, maxBytes={}, fsync={}, onFull={}",
        config.dir(),
        spool.log.segmentCount(),
        spool.log.diskBytes(),
        recovered[0],
        recovered[2],
        recovered[1],
        config.maxBytes(),
        config.fsync().configName(),
        config.onFull().configName());
    return spool;
  }

  public SpoolConfig config() {
    return config;
  }

  /**
   * Appends points of one source, numbered and in sequence order; {@code onStored} runs once they
   * are as durable as {@code spool.fsync} promises (at once, or after the next fsync for {@link
   * FsyncPolicy#ALWAYS}). Blocks while the spool is full under {@link OnFull#BLOCK}.
   *
   * @param mark the input's fingerprint for {@link #contains}, or {@link #NO_MARK}
   * @throws SpoolException when the points cannot be stored; they are then not acknowledged
   */
  public void append(String source, long mark, List<TelemetryPoint> points, Runnable onStored) {
    long firstSeq = points.isEmpty() ? 0 : points.get(0).seq();
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).seq() != firstSeq + i) {
        throw new IllegalArgumentException(
            "Cannot spool points out of sequence: seq "
                + points.get(i).seq()
                + " at index "
                + i
                + " after first seq "
                + firstSeq);
      }
    }
    append(source, mark, firstSeq, points, onStored);
  }

  /**
   * Like {@link #append(String, long, List, Runnable)}, numbering the points {@code firstSeq},
   * {@code firstSeq + 1}, ... in place of their own {@code seq}.
   */
  public void append(
      String source, long mark, long firstSeq, List<TelemetryPoint> points, Runnable onStored) {
    List<SpoolEntry.EncodedPoint> encoded = List.copyOf(EntryCodec.encode(points, firstSeq));
    EntryCodec.FrameBuffer frame = FRAMES.get();
    EntryCodec.pointsFrame(frame, source, mark, firstSeq, encoded);
    store(
        source,
        mark,
        frame.array(),
        frame.length(),
        (position, end) -> new SpoolEntry.Points(position, end, source, firstSeq, encoded),
        points.size(),
        onStored);
  }

  /** Appends events (key and JSON value each) of one source, like {@link #append}. */
  public void appendEvents(String source, List<SpoolEntry.EncodedPoint> events, Runnable onStored) {
    List<SpoolEntry.EncodedPoint> copy = List.copyOf(events);
    byte[] frame = SegmentFile.frame(EntryCodec.events(source, NO_MARK, copy));
    store(
        source,
        NO_MARK,
        frame,
        frame.length,
        (position, end) -> new SpoolEntry.Events(position, end, source, copy),
        0,
        onStored);
  }

  /** Appends a dead letter, like {@link #append}. */
  public void appendDeadLetter(DeadLetter letter, long mark, Runnable onStored) {
    byte[] frame = SegmentFile.frame(EntryCodec.letter(letter, mark));
    store(
        letter.source(),
        mark,
        frame,
        frame.length,
        (position, end) -> new SpoolEntry.Letter(position, end, letter),
        0,
        onStored);
  }

  /** Stores a frame: the first {@code length} bytes of {@code frame} (the array is not kept). */
  private void store(
      String source,
      long mark,
      byte[] frame,
      int length,
      SegmentLog.EntryAt entry,
      int points,
      Runnable onStored) {
    long bytes = length;
    depthPoints.addAndGet(points);
    depthBytes.addAndGet(bytes);
    DropTally tally = new DropTally();
    long end;
    try {
      end =
          log.appendFrame(
              frame,
              length,
              entry,
              () -> EntryCodec.marks(marks.snapshot(config.segmentBytes() / 16)),
              tally::add,
              () -> marks.add(source, mark));
    } catch (SpoolClosedException e) {
      undo(points, bytes);
      throw e;
    } catch (SpoolException e) {
      undo(points, bytes);
      appendErrors.increment();
      throw e;
    } finally {
      tally.report();
    }
    if (config.fsync() == FsyncPolicy.ALWAYS) {
      log.whenDurable(end, onStored);
    } else {
      onStored.run();
    }
  }

  private void undo(int points, long bytes) {
    depthPoints.addAndGet(-points);
    depthBytes.addAndGet(-bytes);
  }

  /** Whether {@code mark} is among the recent marks of {@code source} (this run or the last). */
  public boolean contains(String source, long mark) {
    return mark >= 0 && marks.contains(source, mark);
  }

  /** Counts an MQTT message that was acknowledged again instead of being spooled again. */
  public void redeliverySkipped() {
    redeliveriesSkipped.increment();
  }

  /**
   * The next entries in spool order, about {@code maxBytes} of them, waiting up to {@code timeout}
   * for the first. Publisher thread only.
   */
  public List<SpoolEntry> poll(int maxBytes, Duration timeout) throws InterruptedException {
    List<SpoolEntry> out = log.poll(maxBytes, timeout.toNanos());
    for (SpoolEntry e : out) {
      if (e.position() < replayLimit) {
        replayed.add(e.pointCount());
      }
    }
    return out;
  }

  /**
   * Records that Kafka has {@code entries}, the oldest unacknowledged ones in order: the cursor
   * moves past the last, and segments wholly before it are deleted.
   */
  public void acknowledge(List<SpoolEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    long points = 0;
    long bytes = 0;
    for (SpoolEntry e : entries) {
      points += e.pointCount();
      bytes += e.bytes();
    }
    depthPoints.addAndGet(-points);
    depthBytes.addAndGet(-bytes);
    log.commit(entries.get(entries.size() - 1).end());
  }

  /**
   * Makes the next {@link #poll} start again at the first of {@code unacknowledged} (entries polled
   * and not acknowledged, in order), to send them again. Entries that {@link OnFull#DROP_OLDEST}
   * deleted meanwhile are counted as dropped.
   */
  public void rewind(List<SpoolEntry> unacknowledged) {
    if (unacknowledged.isEmpty()) {
      return;
    }
    long head = log.head();
    DropTally tally = new DropTally();
    for (SpoolEntry e : unacknowledged) {
      if (e.end() <= head) {
        tally.add(e);
      }
    }
    tally.report();
    long before = log.rewind(unacknowledged.get(0).position());
    replayLimit = Math.max(replayLimit, before);
  }

  /**
   * Waits until Kafka has everything appended before this call; false on timeout or close.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    return log.awaitCommitted(log.written(), timeout.toNanos());
  }

  /** The spool's gauges and counters. */
  public SpoolStats stats() {
    return new SpoolStats(
        depthPoints.get(),
        depthBytes.get(),
        log.diskBytes(),
        log.segmentCount(),
        replayed.sum(),
        dropped.sum(),
        redeliveriesSkipped.sum(),
        appendErrors.sum());
  }

  /** The sequence ranges {@link OnFull#DROP_OLDEST} lost since the spool was opened. */
  public List<DroppedRange> droppedRanges() {
    return List.copyOf(droppedRanges);
  }

  /** From now on appends that would wait for space fail instead; for a clean stop. */
  public void refuseBlocking() {
    log.refuseBlocking();
  }

  /** Forces what is written and closes the files; unsent entries wait for the next open. */
  @Override
  public void close() {
    log.close();
    SpoolStats s = stats();
    LOG.info(
        "spool closed: dir={}, unsentPoints={}, unsentBytes={}, pointsDropped={}",
        config.dir(),
        s.points(),
        s.bytes(),
        s.pointsDropped());
  }

  /** The segment files, oldest first; for tests. */
  public List<Path> segmentFiles() {
    return log.segmentFiles();
  }

  /** Counts what one drop lost, per source, and reports it once (ERROR log, file, counters). */
  private final class DropTally {
    private final Map<String, long[]> bySource = new LinkedHashMap<>(); // first, last, count
    private long points;
    private long letters;
    private long bytes;

    void add(long position, long end, byte[] payload) {
      EntryCodec.Summary s = EntryCodec.summary(payload);
      bytes += end - position;
      if (s.type() == EntryCodec.POINTS) {
        count(s.source(), s.firstSeq(), s.points());
      } else if (s.type() == EntryCodec.LETTER) {
        letters++;
      }
    }

    void add(SpoolEntry e) {
      bytes += e.bytes();
      if (e instanceof SpoolEntry.Points p) {
        count(p.source(), p.firstSeq(), p.pointCount());
      } else if (e instanceof SpoolEntry.Letter) {
        letters++;
      }
    }

    private void count(String source, long firstSeq, int n) {
      if (n == 0) {
        return;
      }
      long[] r = bySource.computeIfAbsent(source, k -> new long[] {firstSeq, firstSeq, 0});
      r[0] = Math.min(r[0], firstSeq);
      r[1] = Math.max(r[1], firstSeq + n - 1);
      r[2] += n;
      points += n;
    }

    void report() {
      if (bytes == 0) {
        return;
      }
      depthPoints.addAndGet(-points);
      depthBytes.addAndGet(-bytes);
      dropped.add(points);
      long now = Micros.now(clock);
      StringBuilder lines = new StringBuilder();
      bySource.forEach(
          (source, r) -> {
            DroppedRange range = new DroppedRange(source, r[0], r[1], r[2], now);
            droppedRanges.add(range);
            lines.append(
                String.format(
                    "{\"droppedAtMicros\":%d,\"source\":\"%s\",\"firstSeq\":%d,\"lastSeq\":%d,"
                        + "\"points\":%d}%n",
                    now, source, r[0], r[1], r[2]));
          });
      LOG.error(
          "SPOOL FULL, OLDEST DATA DROPPED (spool.on-full: drop-oldest): dir={}, points={},"
              + " deadLetters={}, bytes={}, lostSeqRanges={}, pointsDroppedTotal={}",
          config.dir(),
          points,
          letters,
          bytes,
          describe(bySource),
          dropped.sum());
      try {
        Files.writeString(
            config.dir().resolve("dropped.jsonl"),
            lines,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        LOG.error("cannot record dropped ranges: dir={}, error={}", config.dir(), e.toString());
      }
    }

    private static String describe(Map<String, long[]> bySource) {
      StringBuilder sb = new StringBuilder("[");
      bySource.forEach(
          (source, r) -> {
            if (sb.length() > 1) {
              sb.append(", ");
            }
            sb.append(source).append(':').append(r[0]).append("..").append(r[1]);
          });
      return sb.append(']').toString();
    }
  }
}
