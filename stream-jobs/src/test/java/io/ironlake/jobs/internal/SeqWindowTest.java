package io.ironlake.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ironlake.jobs.internal.SeqWindow.Outcome;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SeqWindowTest {
  @Test
  void repeatsInsideTheWindowAreDuplicatesAndOutOfOrderNewSeqsAreNot() {
    SeqWindow w = new SeqWindow("c", "s", 128);
    assertThat(w.offer(10)).isEqualTo(Outcome.NEW);
    assertThat(w.offer(12)).isEqualTo(Outcome.NEW);
    assertThat(w.offer(11)).isEqualTo(Outcome.NEW); // out of order, never seen
    assertThat(w.offer(10)).isEqualTo(Outcome.DUPLICATE);
    assertThat(w.offer(11)).isEqualTo(Outcome.DUPLICATE);
    assertThat(w.offer(12)).isEqualTo(Outcome.DUPLICATE);
    assertThat(w.offer(13)).isEqualTo(Outcome.NEW);
    assertThat(w.highest()).isEqualTo(13);
  }

  @Test
  void sparseSeqsOfOneDeviceAndAReplayOfAWholeWindow() {
    // A device with 8 of every 800 seqs of its source, as in the benchmark; then the collector
    // sends the last 100 of them again (a restart re-sends what was in flight).
    SeqWindow w = new SeqWindow("c", "s", 1 << 17);
    long[] seqs = new long[1_000];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = (i / 8) * 800L + 24 + i % 8;
      assertThat(w.offer(seqs[i])).isEqualTo(Outcome.NEW);
    }
    for (int i = 900; i < seqs.length; i++) {
      assertThat(w.offer(seqs[i])).as("seq %d again", seqs[i]).isEqualTo(Outcome.DUPLICATE);
    }
    // Seqs of other devices in between were never seen here.
    assertThat(w.offer(seqs[950] + 1_000 - 800)).isEqualTo(Outcome.NEW);
  }

  @Test
  void movingUpClearsTheBitsThatNowStandForNewSeqs() {
    SeqWindow w = new SeqWindow("c", "s", 64);
    for (long s = 0; s < 64; s++) {
      w.offer(s);
    }
    // 64..127 reuse the bits of 0..63: each is new once, then a duplicate.
    for (long s = 64; s < 128; s++) {
      assertThat(w.offer(s)).as("seq %d", s).isEqualTo(Outcome.NEW);
      assertThat(w.offer(s)).as("seq %d again", s).isEqualTo(Outcome.DUPLICATE);
    }
    assertThat(w.offer(1_000)).isEqualTo(Outcome.NEW); // a jump of more than the window
    assertThat(w.offer(1_000 - 63)).isEqualTo(Outcome.NEW);
    assertThat(w.offer(1_000 - 63)).isEqualTo(Outcome.DUPLICATE);
  }

  @Test
  void aSeqBelowTheWindowIsKeptAndRestartsTheWindow() {
    SeqWindow w = new SeqWindow("c", "s", 64);
    for (long s = 1_000; s < 1_100; s++) {
      w.offer(s);
    }
    assertThat(w.offer(1_099 - 63)).isEqualTo(Outcome.DUPLICATE); // the window's lowest
    assertThat(w.offer(1_099 - 64)).isEqualTo(Outcome.FAR_BEHIND); // just below it
    // A collector whose seq started again at 0 (its state folder lost): the first point is far
    // behind and kept; from then on the new sequence is deduplicated as usual.
    SeqWindow restarted = new SeqWindow("c", "s", 64);
    restarted.offer(5_000);
    assertThat(restarted.offer(0)).isEqualTo(Outcome.FAR_BEHIND);
    assertThat(restarted.offer(1)).isEqualTo(Outcome.NEW);
    assertThat(restarted.offer(0)).isEqualTo(Outcome.DUPLICATE);
    assertThat(restarted.offer(1)).isEqualTo(Outcome.DUPLICATE);
    assertThat(restarted.highest()).isEqualTo(1);
  }

  @Test
  void windowsPerCollectorAndSourceSurviveTheirSerializer() throws Exception {
    SeqWindows state = new SeqWindows();
    state.window("c1", "opcua", 1 << 17).offer(70_000);
    state.window("c1", "opcua", 1 << 17).offer(3_000);
    state.window("c2", "mqtt", 64).offer(7);
    DataOutputSerializer out = new DataOutputSerializer(64);
    SeqWindowsSerializer.INSTANCE.serialize(state, out);
    // Only non-zero words are written: two windows in well under a KB, not 16 KB.
    assertThat(out.length()).isLessThan(200);
    SeqWindows back =
        SeqWindowsSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.count()).isEqualTo(2);
    assertThat(back.window("c1", "opcua", 1 << 17).offer(70_000)).isEqualTo(Outcome.DUPLICATE);
    assertThat(back.window("c1", "opcua", 1 << 17).offer(3_000)).isEqualTo(Outcome.DUPLICATE);
    assertThat(back.window("c1", "opcua", 1 << 17).offer(3_001)).isEqualTo(Outcome.NEW);
    assertThat(back.window("c2", "mqtt", 64).offer(7)).isEqualTo(Outcome.DUPLICATE);
    assertThat(back.window("c2", "opcua", 64).offer(7))
        .as("another collector")
        .isEqualTo(Outcome.NEW);
    // A copy is deep: what the copy sees does not change the original (heap snapshots rely on it).
    SeqWindows copy = SeqWindowsSerializer.INSTANCE.copy(state);
    copy.window("c2", "mqtt", 64).offer(8);
    assertThat(state.window("c2", "mqtt", 64).offer(8)).isEqualTo(Outcome.NEW);
  }

  @Test
  void theExpiryFieldsSurviveAndTheFirstFormatStillReads() throws Exception {
    SeqWindows state = new SeqWindows();
    state.window("c1", "opcua", 64).offer(5);
    state.lastNewMillis(1_700_000_000_000L);
    state.expiryTimer(1_700_003_600_000L);
    DataOutputSerializer out = new DataOutputSerializer(64);
    SeqWindowsSerializer.INSTANCE.serialize(state, out);
    byte[] bytes = out.getCopyOfBuffer();
    SeqWindows back = SeqWindowsSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
    assertThat(back.lastNewMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(back.expiryTimer()).isEqualTo(1_700_003_600_000L);
    SeqWindows copy = SeqWindowsSerializer.INSTANCE.copy(state);
    assertThat(copy.lastNewMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(copy.expiryTimer()).isEqualTo(1_700_003_600_000L);

    // The first format is format 2 without its header (format int, two longs).
    byte[] first = java.util.Arrays.copyOfRange(bytes, 4 + 8 + 8, bytes.length);
    SeqWindows old = SeqWindowsSerializer.INSTANCE.deserialize(new DataInputDeserializer(first));
    assertThat(old.lastNewMillis()).isZero();
    assertThat(old.expiryTimer()).isZero();
    assertThat(old.window("c1", "opcua", 64).offer(5)).isEqualTo(Outcome.DUPLICATE);

    byte[] unknown = bytes.clone();
    unknown[3] = -3; // the format int becomes -3
    assertThatThrownBy(
            () -> SeqWindowsSerializer.INSTANCE.deserialize(new DataInputDeserializer(unknown)))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("Cannot read dedup state: unknown format -3");
  }

  @Test
  void refusesAWindowThatIsNotAPowerOfTwo() {
    assertThatThrownBy(() -> new SeqWindow("c", "s", 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid value 1000 for `dedupWindow`: expected a power of two from 64 to 67108864");
  }
}
