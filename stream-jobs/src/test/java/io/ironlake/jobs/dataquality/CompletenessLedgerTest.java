package io.ironlake.jobs.dataquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The completeness ledger on crafted seq gaps. */
class CompletenessLedgerTest {
  // 100..119, 126..399, 401..410 and 150 again, out of order: 120-125 and 400 are missing
  private static final long[] SEQS =
      LongStream.concat(
              LongStream.concat(LongStream.rangeClosed(401, 410), LongStream.rangeClosed(126, 399)),
              LongStream.concat(LongStream.rangeClosed(100, 119), LongStream.of(150)))
          .toArray();

  @Test
  void missingSeqsAreListedAsRanges() {
    CompletenessRow row = CompletenessLedger.compute("edge-1", "opcua", 0, 10, SEQS, null);
    assertThat(row.collectorId()).isEqualTo("edge-1");
    assertThat(row.source()).isEqualTo("opcua");
    assertThat(row.minSeq()).isEqualTo(100);
    assertThat(row.maxSeq()).isEqualTo(410);
    assertThat(row.received()).isEqualTo(20 + 274 + 10);
    assertThat(row.missing()).isEqualTo((410 - 100 + 1) - 304);
    assertThat(row.missing()).isEqualTo(7);
    assertThat(row.missingRanges()).isEqualTo("120-125,400");
  }

  @Test
  void seqsLostBetweenHoursCountInTheLaterHour() {
    CompletenessRow row = CompletenessLedger.compute("edge-1", "opcua", 0, 10, SEQS, 95L);
    assertThat(row.missing()).isEqualTo(11);
    assertThat(row.missingRanges()).isEqualTo("96-99,120-125,400");
    // The previous hour ended exactly before: nothing lost in between
    assertThat(CompletenessLedger.compute("e", "s", 0, 10, SEQS, 99L).missingRanges())
        .isEqualTo("120-125,400");
    // Overlap with the previous hour (out of order across the boundary): nothing added before,
    // gaps inside the hour are still listed (rather reported twice than hidden)
    assertThat(CompletenessLedger.compute("e", "s", 0, 10, SEQS, 130L).missingRanges())
        .isEqualTo("120-125,400");
  }

  @Test
  void completeSequenceHasNothingMissing() {
    CompletenessRow row =
        CompletenessLedger.compute("e", "s", 0, 10, LongStream.range(0, 50).toArray(), -1L);
    assertThat(row.missing()).isZero();
    assertThat(row.missingRanges()).isEmpty();
    assertThatThrownBy(() -> CompletenessLedger.compute("e", "s", 0, 10, new long[0], null))
        .hasMessage("Cannot reconcile seqs: none in the window");
  }
}
