package io.ironlake.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.spool.SpoolEntry.EncodedPoint;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on its own, on real files: append, read, acknowledge, recover, corruption, full. */
class SpoolTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final long SMALL_SEGMENT = SpoolConfig.SEGMENT_BYTES_MIN;

  @TempDir Path dir;

  private SpoolConfig config() {
    return SpoolConfig.defaults(dir.resolve("spool"));
  }

  private SpoolConfig small(OnFull onFull) {
    return config()
        .withSegmentBytes(SMALL_SEGMENT)
        .withMaxBytes(4 * SMALL_SEGMENT)
        .withOnFull(onFull);
  }

  static List<TelemetryPoint> points(String source, long firstSeq, int n) {
    List<TelemetryPoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long seq = firstSeq + i;
      out.add(
          new TelemetryPoint(
              "plant-sh",
              "assembly",
              "line-1",
              "m0" + (seq % 3),
              "power_kw",
              1_700_000_000_000_000L + seq,
              1_700_000_000_000_001L + seq,
              PointValue.of(seq + 0.5),
              Quality.GOOD,
              0,
              "kW",
              "edge-1",
              source,
              seq));
    }
    return out;
  }

  /** Polls until nothing more comes and returns every entry, acknowledging none. */
  private static List<SpoolEntry> drain(Spool spool) throws InterruptedException {
    List<SpoolEntry> all = new ArrayList<>();
    while (true) {
      List<SpoolEntry> batch = spool.poll(1 << 20, POLL);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
    }
  }

  /** The seqs of the points of {@code entries}, in order. */
  static List<Long> seqs(List<SpoolEntry> entries) {
    List<Long> out = new ArrayList<>();
    for (SpoolEntry e : entries) {
      if (e instanceof SpoolEntry.Points p) {
        for (EncodedPoint ep : p.points()) {
          out.add(TelemetryCodec.decode(ep.value()).seq());
        }
      }
    }
    return out;
  }

  /** {@code from} (inclusive) to {@code to} (exclusive). */
  static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static void fill(Spool spool, String source, long fromSeq, int batches, int perBatch) {
    for (int b = 0; b < batches; b++) {
      spool.append(
          source, Spool.NO_MARK, points(source, fromSeq + (long) b * perBatch, perBatch), () -> {});
    }
  }

  @Test
  void readsBackWhatWasAppendedInOrderWithKeysAndValues() throws Exception {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      AtomicInteger stored = new AtomicInteger();
      spool.append("opcua", Spool.NO_MARK, points("opcua", 0, 3), stored::incrementAndGet);
      spool.appendDeadLetter(
          new DeadLetter("edge-1", "mqtt", "factory/x", "Invalid JSON", 7, new byte[] {1, 2}),
          Spool.NO_MARK,
          stored::incrementAndGet);
      spool.append("opcua", Spool.NO_MARK, points("opcua", 3, 2), stored::incrementAndGet);
      assertThat(stored).as("interval fsync acknowledges once written").hasValue(3);

      List<SpoolEntry> entries = drain(spool);
      assertThat(entries).hasSize(3);
      SpoolEntry.Points first = (SpoolEntry.Points) entries.get(0);
      assertThat(first.source()).isEqualTo("opcua");
      assertThat(first.firstSeq()).isZero();
      TelemetryPoint p = TelemetryCodec.decode(first.points().get(1).value());
      assertThat(p).isEqualTo(points("opcua", 0, 3).get(1));
      assertThat(new String(first.points().get(1).key(), StandardCharsets.UTF_8))
          .isEqualTo(p.devicePath());
      DeadLetter letter = ((SpoolEntry.Letter) entries.get(1)).letter();
      assertThat(letter.reason()).isEqualTo("Invalid JSON");
      assertThat(letter.payload()).containsExactly(1, 2);
      assertThat(seqs(entries)).isEqualTo(range(0, 5));
      assertThat(entries.get(1).position()).isEqualTo(entries.get(0).end());
      assertThat(spool.stats().points()).isEqualTo(5);
      assertThat(spool.stats().bytes()).isEqualTo(entries.get(2).end() - entries.get(0).position());

      spool.acknowledge(entries);
      assertThat(spool.stats().points()).isZero();
      assertThat(spool.stats().bytes()).isZero();
      assertThat(spool.awaitDrained(Duration.ZERO)).isTrue();
    }
  }

  @Test
  void aRestartHandsOutAgainEverythingAfterTheCommittedCursorInOrder() throws Exception {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      fill(spool, "opcua", 0, 10, 10);
      List<SpoolEntry> entries = drain(spool);
      spool.acknowledge(entries.subList(0, 4));
      assertThat(spool.stats().points()).isEqualTo(60);
    }
    try (Spool spool = Spool.open(config(), CLOCK)) {
      assertThat(spool.stats().points()).as("recovered depth").isEqualTo(60);
      List<SpoolEntry> again = drain(spool);
      assertThat(seqs(again)).isEqualTo(range(40, 100));
      assertThat(spool.stats().pointsReplayed()).isEqualTo(60);
      fill(spool, "opcua", 100, 1, 5);
      assertThat(seqs(drain(spool))).as("new points queue behind").isEqualTo(range(100, 105));
      assertThat(spool.stats().pointsReplayed()).isEqualTo(60);
    }
  }

  @Test
  void pointsAreNumberedFromTheGivenFirstSeqAndLargeAndSmallEntriesSurviveAReopen()
      throws Exception {
    // The frame array is reused from one entry to the next: a small entry after a large one must
    // be written with its own length and checksum, not with the larger one's leftovers.
    List<Integer> sizes = List.of(2_000, 3, 1, 2_500, 40, 5_000, 7);
    long firstSeq = 1_000;
    try (Spool spool = Spool.open(config(), CLOCK)) {
      long seq = firstSeq;
      for (int n : sizes) {
        // The points' own seq is 0: the spool numbers them.
        spool.append(
            "opcua",
            Spool.NO_MARK,
            seq,
            points("opcua", 0, n).stream().map(p -> p.withSeq(0)).toList(),
            () -> {});
        seq += n;
      }
      assertThat(seqs(drain(spool))).isEqualTo(range(firstSeq, seq));
    }
    try (Spool spool = Spool.open(config(), CLOCK)) {
      List<SpoolEntry> again = drain(spool);
      assertThat(again).hasSize(sizes.size());
      long total = sizes.stream().mapToLong(Integer::longValue).sum();
      assertThat(seqs(again)).isEqualTo(range(firstSeq, firstSeq + total));
      SpoolEntry.Points last = (SpoolEntry.Points) again.get(again.size() - 1);
      TelemetryPoint p = TelemetryCodec.decode(last.points().get(6).value());
      assertThat(p).isEqualTo(points("opcua", 6, 1).get(0).withSeq(firstSeq + total - 1));
    }
  }

  @Test
  void pointsOutOfSequenceAreRefused() {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      List<TelemetryPoint> gap = new ArrayList<>(points("opcua", 0, 2));
      gap.addAll(points("opcua", 3, 1));
      assertThatThrownBy(() -> spool.append("opcua", Spool.NO_MARK, gap, () -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("seq 3 at index 2");
      assertThat(spool.stats().points()).isZero();
    }
  }

  @Test
  void rewindSendsAgainFromTheFirstUnacknowledgedEntry() throws Exception {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      fill(spool, "opcua", 0, 5, 2);
      List<SpoolEntry> entries = drain(spool);
      spool.acknowledge(entries.subList(0, 2));
      spool.rewind(entries.subList(2, 5));
      List<SpoolEntry> again = drain(spool);
      assertThat(seqs(again)).isEqualTo(range(4, 10));
      assertThat(spool.stats().pointsReplayed()).isEqualTo(6);
    }
  }

  @Test
  void aTornTailIsCutWithAWarningAndTheWholeEntriesSurvive() throws Exception {
    Path segment;
    try (Spool spool = Spool.open(config(), CLOCK)) {
      fill(spool, "opcua", 0, 3, 4);
      segment = spool.segmentFiles().get(0);
    }
    long whole = Files.size(segment);
    // A crash in the middle of a write: a frame header promising more bytes than follow.
    try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
      raf.seek(whole);
      raf.writeInt(500);
      raf.writeInt(12345);
      raf.write(new byte[100]);
    }
    try (Spool spool = Spool.open(config(), CLOCK)) {
      assertThat(Files.size(segment)).as("cut back to the last whole frame").isEqualTo(whole);
      fill(spool, "opcua", 12, 1, 4);
      assertThat(seqs(drain(spool))).isEqualTo(range(0, 16));
    }
  }

  @Test
  void aCorruptFrameIsCutWithEverythingAfterItInThatSegment() throws Exception {
    List<SpoolEntry> entries;
    Path segment;
    try (Spool spool = Spool.open(config(), CLOCK)) {
      fill(spool, "opcua", 0, 4, 5);
      entries = drain(spool);
      segment = spool.segmentFiles().get(0);
    }
    // Flip one byte inside the third entry's payload: its CRC32C no longer matches.
    long offset = entries.get(2).position() + 20;
    try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
      raf.seek(offset);
      int b = raf.read();
      raf.seek(offset);
      raf.write(b ^ 0xFF);
    }
    try (Spool spool = Spool.open(config(), CLOCK)) {
      assertThat(seqs(drain(spool))).isEqualTo(range(0, 10));
      assertThat(Files.size(segment)).isEqualTo(entries.get(2).position());
      assertThat(spool.stats().points()).isEqualTo(10);
    }
  }

  @Test
  void aFileThatIsNotASpoolSegmentIsRefusedWithItsName() throws Exception {
    Files.createDirectories(dir.resolve("spool"));
    Path stranger = dir.resolve("spool").resolve("00000000000000000000.seg");
    Files.writeString(stranger, "not a spool segment, but long enough to have a header");
    assertThatThrownBy(() -> Spool.open(config(), CLOCK))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("Cannot open spool: " + stranger)
        .hasMessageContaining("does not start with a spool header");
  }

  @Test
  void acknowledgedSegmentsAreDeletedWhole() throws Exception {
    try (Spool spool = Spool.open(small(OnFull.BLOCK), CLOCK)) {
      fill(spool, "opcua", 0, 60, 20); // ~3 KB per batch: several 64 KiB segments
      int before = spool.stats().segments();
      assertThat(before).isGreaterThan(2);
      List<SpoolEntry> entries = drain(spool);
      spool.acknowledge(entries.subList(0, entries.size() / 2));
      assertThat(spool.stats().segments()).isLessThan(before).isGreaterThan(1);
      spool.acknowledge(entries.subList(entries.size() / 2, entries.size()));
      assertThat(spool.segmentFiles()).hasSize(1);
      assertThat(spool.stats().points()).isZero();
      // The files go in the background, off the append path; their bytes count until then.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(spool.stats().diskBytes()).isLessThanOrEqualTo(SMALL_SEGMENT);
                assertThat(segmentFileCount()).isEqualTo(1);
              });
    }
  }

  @Test
  void rolledSegmentsAreForcedAndClosedInTheBackgroundAndReopenWhole() throws Exception {
    try (Spool spool = Spool.open(small(OnFull.BLOCK), CLOCK)) {
      fill(spool, "opcua", 0, 60, 20); // several rolls
      assertThat(spool.stats().segments()).isGreaterThan(2);
      // A roll leaves the old file open for the flusher, which forces and closes it.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(openSegmentFiles()).isEqualTo(1));
      List<SpoolEntry> entries = drain(spool);
      assertThat(seqs(entries))
          .containsExactlyElementsOf(LongStream.range(0, 60 * 20).boxed().toList());
      spool.acknowledge(entries.subList(0, 10));
    }
    try (Spool reopened = Spool.open(small(OnFull.BLOCK), CLOCK)) {
      assertThat(seqs(drain(reopened)))
          .containsExactlyElementsOf(LongStream.range(10 * 20, 60 * 20).boxed().toList());
    }
  }

  @Test
  void withoutFsyncCommittedSegmentsAreStillDeletedAndRolledOnesClosed() throws Exception {
    try (Spool spool = Spool.open(small(OnFull.BLOCK).withFsync(FsyncPolicy.NEVER, 50), CLOCK)) {
      fill(spool, "opcua", 0, 60, 20);
      spool.acknowledge(drain(spool));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(segmentFileCount()).isEqualTo(1);
                assertThat(spool.stats().diskBytes()).isLessThanOrEqualTo(SMALL_SEGMENT);
                assertThat(openSegmentFiles()).isLessThanOrEqualTo(2); // active (+ reader)
              });
    }
  }

  /** This process's open file descriptors on this test's segment files (Linux). */
  private long openSegmentFiles() throws IOException {
    String spoolDir = dir.resolve("spool").toRealPath().toString();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                  return ""; // closed meanwhile
                }
              })
          .filter(t -> t.startsWith(spoolDir) && t.endsWith(".seg"))
          .count();
    }
  }

  private long segmentFileCount() throws IOException {
    try (var files = Files.list(dir.resolve("spool"))) {
      return files.filter(f -> f.toString().endsWith(".seg")).count();
    }
  }

  /** Appends 20-point batches until at most one more fits; returns the next seq. */
  private static long fillUntilFull(Spool spool) {
    long seq = 0;
    long frame = 0;
    while (frame == 0 || spool.stats().diskBytes() + 2 * frame <= 4 * SMALL_SEGMENT) {
      long before = spool.stats().diskBytes();
      spool.append("opcua", Spool.NO_MARK, points("opcua", seq, 20), () -> {});
      seq += 20;
      frame = Math.max(frame, spool.stats().diskBytes() - before);
    }
    return seq;
  }

  @Test
  void whenFullAndBlockingAppendsWaitUntilKafkaTakesTheBacklog() throws Exception {
    try (Spool spool = Spool.open(small(OnFull.BLOCK), CLOCK)) {
      long stop = fillUntilFull(spool);
      CompletableFuture<Void> blocked =
          CompletableFuture.runAsync(() -> fill(spool, "opcua", stop, 3, 20));
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !blocked.isDone());
      assertThat(spool.stats().diskBytes()).isLessThanOrEqualTo(4 * SMALL_SEGMENT);

      List<SpoolEntry> entries = drain(spool);
      spool.acknowledge(entries);
      blocked.get();
      entries.addAll(drain(spool));
      assertThat(seqs(entries)).isEqualTo(range(0, stop + 60));
      assertThat(spool.stats().pointsDropped()).isZero();
    }
  }

  @Test
  void aBlockedAppendFailsWhenTheSpoolCloses() throws Exception {
    Spool spool = Spool.open(small(OnFull.BLOCK), CLOCK);
    long stop = fillUntilFull(spool);
    AtomicInteger acked = new AtomicInteger();
    CompletableFuture<Void> blocked =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 3; i++) {
                spool.append(
                    "opcua", i, points("opcua", stop + 20 * i, 20), acked::incrementAndGet);
              }
            });
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !blocked.isDone());
    spool.refuseBlocking();
    await().atMost(Duration.ofSeconds(5)).until(blocked::isDone);
    assertThatThrownBy(blocked::join).hasCauseInstanceOf(SpoolClosedException.class);
    assertThat(acked.get()).as("the blocked append is not acknowledged").isLessThan(3);
    spool.close();
  }

  @Test
  void whenFullAndDroppingTheOldestSegmentGoesWithItsSeqRangesRecorded() throws Exception {
    try (Spool spool = Spool.open(small(OnFull.DROP_OLDEST), CLOCK)) {
      fill(spool, "opcua", 0, 200, 20); // ~600 KB into a 256 KiB spool
      fill(spool, "mqtt", 0, 5, 2);
      SpoolStats stats = spool.stats();
      assertThat(stats.diskBytes()).isLessThanOrEqualTo(4 * SMALL_SEGMENT);
      assertThat(stats.pointsDropped()).isGreaterThan(0);

      List<SpoolEntry> left = drain(spool);
      List<Long> kept =
          seqs(
              left.stream()
                  .filter(e -> e instanceof SpoolEntry.Points p && p.source().equals("opcua"))
                  .toList());
      long firstKept = kept.get(0);
      assertThat(kept).as("the newest survive, in order").isEqualTo(range(firstKept, 4000));
      assertThat(stats.pointsDropped()).isEqualTo(firstKept);
      assertThat(stats.points()).isEqualTo(4000 - firstKept + 10);

      List<DroppedRange> ranges = spool.droppedRanges();
      assertThat(ranges).allSatisfy(r -> assertThat(r.source()).isEqualTo("opcua"));
      assertThat(ranges.get(0).firstSeq()).isZero();
      assertThat(ranges.get(ranges.size() - 1).lastSeq()).isEqualTo(firstKept - 1);
      assertThat(ranges.stream().mapToLong(DroppedRange::points).sum()).isEqualTo(firstKept);
      assertThat(ranges)
          .allSatisfy(r -> assertThat(r.droppedAtMicros()).isEqualTo(CLOCK.millis() * 1000));
      assertThat(Files.readAllLines(dir.resolve("spool").resolve("dropped.jsonl")))
          .hasSize(ranges.size())
          .first()
          .asString()
          .contains("\"source\":\"opcua\"", "\"firstSeq\":0");
    }
  }

  @Test
  void marksOfSpooledInputSurviveRestartsAndDeletedSegments() throws Exception {
    try (Spool spool = Spool.open(small(OnFull.BLOCK), CLOCK)) {
      spool.append("mqtt", 42L << 32 | 7, points("mqtt", 0, 1), () -> {});
      fill(spool, "opcua", 1, 60, 20); // rolls several segments
      spool.acknowledge(drain(spool)); // deletes all but the newest
      assertThat(spool.segmentFiles()).hasSize(1);
      assertThat(spool.contains("mqtt", 42L << 32 | 7)).isTrue();
    }
    try (Spool spool = Spool.open(small(OnFull.BLOCK), CLOCK)) {
      assertThat(spool.contains("mqtt", 42L << 32 | 7)).isTrue();
      assertThat(spool.contains("mqtt", 43L << 32 | 7)).isFalse();
      assertThat(spool.contains("other", 42L << 32 | 7)).isFalse();
    }
  }

  @Test
  void alwaysFsyncAcknowledgesOnlyAfterTheDataIsForcedAndPublishesOnlyForcedData()
      throws Exception {
    SpoolConfig always = config().withFsync(FsyncPolicy.ALWAYS, 100);
    try (Spool spool = Spool.open(always, CLOCK)) {
      AtomicInteger stored = new AtomicInteger();
      for (int i = 0; i < 50; i++) {
        spool.append("mqtt", i, points("mqtt", i, 1), stored::incrementAndGet);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> stored.get() == 50);
      assertThat(seqs(drain(spool))).isEqualTo(range(0, 50));
    }
  }

  @Test
  void alwaysFsyncUnderConcurrentAppendsAcknowledgesEverything() throws Exception {
    SpoolConfig always =
        small(OnFull.BLOCK).withMaxBytes(64L << 20).withFsync(FsyncPolicy.ALWAYS, 5);
    try (Spool spool = Spool.open(always, CLOCK)) {
      AtomicInteger stored = new AtomicInteger();
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (String source : List.of("a", "b")) {
        writers.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 5000; i++) {
                    spool.append(source, i, points(source, i, 1), stored::incrementAndGet);
                  }
                }));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> writers.stream().allMatch(CompletableFuture::isDone) && stored.get() == 10_000);
      assertThat(drain(spool)).hasSize(10_000 + spool.stats().segments() - 1);
    }
  }

  @Test
  void neverFsyncStillRecoversAfterAReopen() throws Exception {
    SpoolConfig never = config().withFsync(FsyncPolicy.NEVER, 100);
    try (Spool spool = Spool.open(never, CLOCK)) {
      fill(spool, "opcua", 0, 3, 3);
    }
    try (Spool spool = Spool.open(never, CLOCK)) {
      assertThat(seqs(drain(spool))).isEqualTo(range(0, 9));
    }
  }

  @Test
  void anEntryLargerThanASegmentIsRefused() throws Exception {
    try (Spool spool = Spool.open(small(OnFull.BLOCK), CLOCK)) {
      assertThatThrownBy(
              () -> spool.append("opcua", Spool.NO_MARK, points("opcua", 0, 1000), () -> {}))
          .isInstanceOf(SpoolException.class)
          .hasMessageContaining("larger than spool.segment-bytes");
      assertThat(spool.stats().points()).isZero();
      assertThat(spool.stats().appendErrors()).isEqualTo(1);
    }
  }

  @Test
  void oneSpoolFolderServesOneCollectorAtATime() {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      assertThatThrownBy(() -> Spool.open(config(), CLOCK))
          .hasMessageContaining("Cannot lock state folder");
    }
  }

  @Test
  void invalidSizesAreRefused() throws IOException {
    assertThatThrownBy(() -> config().withSegmentBytes(1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid segmentBytes 1000");
    assertThatThrownBy(() -> config().withMaxBytes(SpoolConfig.SEGMENT_BYTES_DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least twice segmentBytes");
  }
}
