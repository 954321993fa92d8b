package io.ironlake.collector.spool;

import static io.ironlake.collector.spool.SpoolTest.range;
import static io.ironlake.collector.spool.SpoolTest.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.collector.spool.SpoolEntry.EncodedPoint;
import io.ironlake.collector.spool.internal.SegmentFile;
import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.DeadLetter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's in-memory tail: while the publisher keeps up it gets the entries from memory, the
 * same as the file holds; when it falls behind it reads the files and then the tail again, without
 * a gap or a repeat.
 */
class SpoolTailTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final Duration POLL = Duration.ofMillis(50);

  @TempDir Path dir;

  private SpoolConfig config() {
    return SpoolConfig.defaults(dir.resolve("spool"))
        .withSegmentBytes(1L << 20)
        .withMaxBytes(64L << 20);
  }

  private static List<SpoolEntry> drain(Spool spool, int maxBytes) throws InterruptedException {
    List<SpoolEntry> all = new ArrayList<>();
    while (true) {
      List<SpoolEntry> batch = spool.poll(maxBytes, POLL);
      if (batch.isEmpty()) {
        return all;
      }
      all.addAll(batch);
    }
  }

  @Test
  void entriesFromMemoryAreTheEntriesTheFileHolds() throws Exception {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      spool.append("mqtt", 42L, SpoolTest.points("mqtt", 0, 7), () -> {});
      spool.appendDeadLetter(
          new DeadLetter("edge-1", "mqtt", "factory/x", "Invalid JSON", 7, new byte[] {1, 2}),
          43L,
          () -> {});
      spool.appendEvents(
          "opcua",
          List.of(
              new EncodedPoint(
                  "ns=2;s=m01".getBytes(StandardCharsets.UTF_8),
                  "{\"event_id\":\"0a\"}".getBytes(StandardCharsets.UTF_8))),
          () -> {});
      spool.append("opcua", Spool.NO_MARK, SpoolTest.points("opcua", 0, 3), () -> {});

      List<SpoolEntry> fromMemory = drain(spool, 1 << 20);
      spool.rewind(fromMemory);
      List<SpoolEntry> fromFile = drain(spool, 1 << 20);

      assertThat(fromMemory).hasSize(4);
      assertThat(describe(fromMemory)).isEqualTo(describe(fromFile));
      SpoolEntry.Points first = (SpoolEntry.Points) fromMemory.get(0);
      assertThat(new String(first.points().get(1).key(), StandardCharsets.UTF_8))
          .isEqualTo("plant-sh/assembly/line-1/m01");
      assertThat(TelemetryCodec.decode(first.points().get(1).value()))
          .isEqualTo(SpoolTest.points("mqtt", 0, 7).get(1));
    }
  }

  @Test
  void theTailServesThePublisherAndARewindReadsTheFile() throws Exception {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      spool.append("opcua", Spool.NO_MARK, SpoolTest.points("opcua", 0, 3), () -> {});
      SpoolEntry entry = drain(spool, 1 << 20).get(0);
      spool.acknowledge(List.of(entry));
      spool.append("opcua", Spool.NO_MARK, SpoolTest.points("opcua", 3, 3), () -> {});
      // Break the new entry on disk: only a read of the file notices.
      flipPayloadByte(spool, entry.end());

      List<SpoolEntry> served = drain(spool, 1 << 20);
      assertThat(seqs(served)).isEqualTo(range(3, 6));

      spool.rewind(served);
      assertThatThrownBy(() -> spool.poll(1 << 20, POLL))
          .isInstanceOf(SpoolException.class)
          .hasMessageContaining("CRC mismatch");
    }
  }

  @Test
  void aNewSpoolServesItsVeryFirstEntryFromMemory() throws Exception {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      spool.append("opcua", Spool.NO_MARK, SpoolTest.points("opcua", 0, 3), () -> {});
      flipPayloadByte(spool, SegmentFile.HEADER); // the first frame of the first segment
      assertThat(seqs(drain(spool, 1 << 20))).isEqualTo(range(0, 3));
    }
  }

  @Test
  void aPublisherFarBehindReadsTheFilesThenTheTailAgainWithoutGapOrRepeat() throws Exception {
    try (Spool spool = Spool.open(config(), CLOCK)) {
      // About 6 MiB, over the tail's 2 MiB and across segments of 1 MiB, before the first poll.
      long seq = 0;
      for (int i = 0; i < 6_000; i++, seq += 7) {
        spool.append("mqtt", Spool.NO_MARK, SpoolTest.points("mqtt", seq, 7), () -> {});
      }
      assertThat(spool.segmentFiles().size()).isGreaterThan(4);
      List<SpoolEntry> read = new ArrayList<>();
      // The publisher reads in small polls while the source goes on appending: it catches up
      // with the files, then takes one entry per poll, from memory.
      for (int i = 0; i < 6_000; i++, seq += 7) {
        read.addAll(spool.poll(64 << 10, POLL));
        spool.append("mqtt", Spool.NO_MARK, SpoolTest.points("mqtt", seq, 7), () -> {});
      }
      read.addAll(drain(spool, 64 << 10));
      assertThat(seqs(read)).isEqualTo(range(0, seq));
      for (int i = 1; i < read.size(); i++) {
        long gap = read.get(i).position() - read.get(i - 1).end();
        assertThat(gap)
            .as("entry %d follows the one before", i)
            .isIn(0L, (long) SegmentFile.HEADER);
      }

      // Caught up: the next entries come from memory again.
      spool.acknowledge(read);
      SpoolEntry last = read.get(read.size() - 1);
      spool.append("mqtt", Spool.NO_MARK, SpoolTest.points("mqtt", seq, 7), () -> {});
      flipPayloadByte(spool, last.end());
      assertThat(seqs(drain(spool, 64 << 10))).isEqualTo(range(seq, seq + 7));
    }
  }

  /** Changes one byte of the payload of the frame at {@code position}, in its segment file. */
  private static void flipPayloadByte(Spool spool, long position) throws IOException {
    Path segment = null;
    long base = -1;
    for (Path p : spool.segmentFiles()) {
      long b = SegmentFile.baseOf(p);
      if (b <= position) {
        segment = p;
        base = b;
      }
    }
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      long at = position - base + SegmentFile.FRAME_HEADER + 3;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x40);
    }
  }

  private static List<String> describe(List<SpoolEntry> entries) {
    List<String> out = new ArrayList<>();
    for (SpoolEntry e : entries) {
      StringBuilder sb = new StringBuilder();
      sb.append(e.getClass().getSimpleName()).append(' ').append(e.position()).append("..");
      sb.append(e.end());
      if (e instanceof SpoolEntry.Points p) {
        sb.append(' ').append(p.source()).append(" firstSeq=").append(p.firstSeq());
        p.points()
            .forEach(
                ep -> sb.append(' ').append(hex(ep.key())).append(':').append(hex(ep.value())));
      } else if (e instanceof SpoolEntry.Events ev) {
        sb.append(' ').append(ev.source());
        ev.events()
            .forEach(
                ep -> sb.append(' ').append(hex(ep.key())).append(':').append(hex(ep.value())));
      } else if (e instanceof SpoolEntry.Letter l) {
        DeadLetter d = l.letter();
        sb.append(' ').append(List.of(d.collectorId(), d.source(), d.origin(), d.reason()));
        sb.append(' ').append(d.receivedAtMicros()).append(' ').append(hex(d.payload()));
      }
      out.add(sb.toString());
    }
    return out;
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
