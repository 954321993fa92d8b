package io.ironlake.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

/**
 * {@link EndAfterCheckpointSource} around Flink's own bounded {@link NumberSequenceSource}: every
 * number comes through, and the end comes only after a checkpoint that this reader took part in
 * completed.
 */
class EndAfterCheckpointSourceTest {
  private final List<Long> read = new ArrayList<>();

  @Test
  void theEndWaitsForACheckpointOfThisAttempt() throws Exception {
    SourceReader<Long, NumberSequenceSplit> reader = reader(1, 10);

    assertThat(pollUntilStuck(reader)).isEqualTo(InputStatus.NOTHING_AVAILABLE);
    assertThat(read)
        .as("every number read")
        .isEqualTo(LongStream.rangeClosed(1, 10).boxed().toList());
    assertThat(reader.isAvailable()).as("waiting for a checkpoint").isNotDone();

    // A completed checkpoint this reader did not take part in (e.g. the one it was restored from)
    reader.notifyCheckpointComplete(3);
    assertThat(reader.isAvailable()).isNotDone();
    assertThat(reader.pollNext(output())).isEqualTo(InputStatus.NOTHING_AVAILABLE);

    assertThat(reader.snapshotState(4)).as("no split left to checkpoint").isEmpty();
    reader.notifyCheckpointAborted(4);
    assertThat(reader.isAvailable()).as("checkpoint 4 aborted").isNotDone();

    assertThat(reader.snapshotState(5)).isEmpty();
    reader.notifyCheckpointComplete(5);
    assertThat(reader.isAvailable()).isDone();
    assertThat(reader.pollNext(output())).isEqualTo(InputStatus.END_OF_INPUT);
    assertThat(read).hasSize(10);
    reader.close();
  }

  @Test
  void aReaderThatWasCheckpointedWhileReadingEndsAtOnce() throws Exception {
    SourceReader<Long, NumberSequenceSplit> reader = reader(1, 5);
    assertThat(reader.snapshotState(7))
        .as("the unread part of the split")
        .singleElement()
        .satisfies(s -> assertThat(s.from()).isEqualTo(1));
    reader.notifyCheckpointComplete(7);

    assertThat(pollUntilStuck(reader)).isEqualTo(InputStatus.END_OF_INPUT);
    assertThat(read).isEqualTo(List.of(1L, 2L, 3L, 4L, 5L));
    reader.close();
  }

  @Test
  void refusesAnUnboundedSource() {
    KafkaSource<String> unbounded =
        KafkaSource.<String>builder()
            .setBootstrapServers("localhost:9092")
            .setTopics("telemetry.v1")
            .setValueOnlyDeserializer(
                new org.apache.flink.api.common.serialization.SimpleStringSchema())
            .build();
    assertThatThrownBy(() -> new EndAfterCheckpointSource<>(unbounded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unbounded");
  }

  /** A started reader of the wrapped source with one split, from..to, and no more to come. */
  private static SourceReader<Long, NumberSequenceSplit> reader(long from, long to)
      throws Exception {
    SourceReader<Long, NumberSequenceSplit> reader =
        new EndAfterCheckpointSource<>(new NumberSequenceSource(from, to)).createReader(context());
    reader.start();
    reader.addSplits(List.of(new NumberSequenceSplit("0", from, to)));
    reader.notifyNoMoreSplits();
    return reader;
  }

  /** Polls until the reader has nothing more now or has ended; returns that status. */
  private InputStatus pollUntilStuck(SourceReader<Long, NumberSequenceSplit> reader)
      throws Exception {
    ReaderOutput<Long> output = output();
    for (int i = 0; i < 1_000; i++) {
      InputStatus status = reader.pollNext(output);
      if (status != InputStatus.MORE_AVAILABLE) {
        return status;
      }
    }
    throw new AssertionError("the reader never stopped reporting MORE_AVAILABLE");
  }

  private ReaderOutput<Long> output() {
    return new ReaderOutput<>() {
      @Override
      public void collect(Long record) {
        read.add(record);
      }

      @Override
      public void collect(Long record, long timestamp) {
        read.add(record);
      }

      @Override
      public void emitWatermark(Watermark watermark) {}

      @Override
      public void markIdle() {}

      @Override
      public void markActive() {}

      @Override
      public SourceOutput<Long> createOutputForSplit(String splitId) {
        return this;
      }

      @Override
      public void releaseOutputForSplit(String splitId) {}
    };
  }

  private static SourceReaderContext context() {
    return new SourceReaderContext() {
      @Override
      public SourceReaderMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
      }

      @Override
      public Configuration getConfiguration() {
        return new Configuration();
      }

      @Override
      public String getLocalHostName() {
        return "localhost";
      }

      @Override
      public int getIndexOfSubtask() {
        return 0;
      }

      @Override
      public void sendSplitRequest() {}

      @Override
      public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {}

      @Override
      public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(
            EndAfterCheckpointSourceTest.class.getClassLoader());
      }
    };
  }
}
