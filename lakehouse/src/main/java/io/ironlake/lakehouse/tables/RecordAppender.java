package io.ironlake.lakehouse.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Appends Iceberg generic records to a table in one commit, partitioned by the table's spec: for
 * small, low-rate writers outside Flink (such as the gateway's ledger) and for tests.
 */
public final class RecordAppender {
  private RecordAppender() {}

  /**
   * Writes the records to new Parquet data files and commits them as one append.
   *
   * @return the number of records appended
   */
  public static long append(Table table, Iterable<Record> records) {
    GenericFileWriterFactory writerFactory =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, System.nanoTime())
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    long targetFileSize =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    PartitionKey partitionKey = new PartitionKey(table.spec(), table.schema());
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    FanoutDataWriter<Record> writer =
        new FanoutDataWriter<>(writerFactory, files, table.io(), targetFileSize);
    long count = 0;
    try {
      try (writer) {
        for (Record record : records) {
          // Partition transforms work on Iceberg's internal representation (micros, not
          // OffsetDateTime), hence the wrapper.
          partitionKey.partition(wrapper.wrap(record));
          writer.write(record, table.spec(), partitionKey.copy());
          count++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot append records to " + table.name() + ": " + e.getMessage(), e);
    }
    DataWriteResult result = writer.result();
    if (result.dataFiles().isEmpty()) {
      return 0L;
    }
    AppendFiles append = table.newAppend();
    for (DataFile file : result.dataFiles()) {
      append.appendFile(file);
    }
    append.commit();
    return count;
  }
}
