package io.ironlake.jobs.ingest;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded source that ends only once a checkpoint has completed in the current attempt of its
 * reader: when the wrapped reader reaches its end before that, this one waits (reporting nothing
 * available) until the first checkpoint it took part in completes, then ends.
 *
 * <p>Why: Iceberg's {@code IcebergSink} (1.11) numbers the files it flushes when its input ends
 * with the last checkpoint id its pre-commit aggregator saw, plus one. That aggregator runs in a
 * task without Flink state, so after a restore from checkpoint {@code n} it is not told {@code n}
 * and starts from 0. When the rest of a bounded input is read before the first checkpoint after the
 * restore, those files get id 1, which the table already records as committed for the job, and the
 * committer drops them: every row read after the restored checkpoint is lost, without an error.
 * Once a checkpoint has gone through every task after the restart, the aggregator's id is that
 * checkpoint's, and the last files get a new id. A run with checkpointing disabled must not use
 * this (it would never end).
 *
 * @param <T> the records
 * @param <SplitT> the wrapped source's splits
 * @param <EnumChkT> the wrapped source's enumerator checkpoints
 */
public final class EndAfterCheckpointSource<T, SplitT extends SourceSplit, EnumChkT>
    implements Source<T, SplitT, EnumChkT> {
  private static final long serialVersionUID = 1L;

  private final Source<T, SplitT, EnumChkT> source;

  /** Wraps {@code source}, which must be bounded. */
  public EndAfterCheckpointSource(Source<T, SplitT, EnumChkT> source) {
    if (source.getBoundedness() != Boundedness.BOUNDED) {
      throw new IllegalArgumentException(
          "Cannot wait for a checkpoint before the end of an unbounded source");
    }
    this.source = source;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SourceReader<T, SplitT> createReader(SourceReaderContext context) throws Exception {
    return new Reader<>(source.createReader(context));
  }

  @Override
  public SplitEnumerator<SplitT, EnumChkT> createEnumerator(SplitEnumeratorContext<SplitT> context)
      throws Exception {
    return source.createEnumerator(context);
  }

  @Override
  public SplitEnumerator<SplitT, EnumChkT> restoreEnumerator(
      SplitEnumeratorContext<SplitT> context, EnumChkT checkpoint) throws Exception {
    return source.restoreEnumerator(context, checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
    return source.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<EnumChkT> getEnumeratorCheckpointSerializer() {
    return source.getEnumeratorCheckpointSerializer();
  }

  /** The wrapped reader, holding back its end until a checkpoint of this attempt completes. */
  static final class Reader<T, SplitT extends SourceSplit> implements SourceReader<T, SplitT> {
    private final SourceReader<T, SplitT> reader;
    private final CompletableFuture<Void> checkpointed = new CompletableFuture<>();

    /** The first checkpoint this reader took part in, or -1 before it took part in one. */
    private long firstCheckpoint = -1;

    private boolean ended;

    Reader(SourceReader<T, SplitT> reader) {
      this.reader = reader;
    }

    @Override
    public void start() {
      reader.start();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
      if (ended) {
        return checkpointed.isDone() ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
      }
      InputStatus status = reader.pollNext(output);
      if (status == InputStatus.END_OF_INPUT && !checkpointed.isDone()) {
        ended = true;
        return InputStatus.NOTHING_AVAILABLE;
      }
      return status;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return ended ? checkpointed : reader.isAvailable();
    }

    @Override
    public List<SplitT> snapshotState(long checkpointId) {
      if (firstCheckpoint < 0) {
        firstCheckpoint = checkpointId;
      }
      return reader.snapshotState(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      reader.notifyCheckpointComplete(checkpointId);
      if (firstCheckpoint >= 0 && checkpointId >= firstCheckpoint) {
        checkpointed.complete(null);
      }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
      reader.notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void addSplits(List<SplitT> splits) {
      reader.addSplits(splits);
    }

    @Override
    public void notifyNoMoreSplits() {
      reader.notifyNoMoreSplits();
    }

    @Override
    public void handleSourceEvents(SourceEvent sourceEvent) {
      reader.handleSourceEvents(sourceEvent);
    }

    @Override
    public void pauseOrResumeSplits(
        Collection<String> splitsToPause, Collection<String> splitsToResume) {
      reader.pauseOrResumeSplits(splitsToPause, splitsToResume);
    }

    @Override
    public void close() throws Exception {
      reader.close();
    }
  }
}
