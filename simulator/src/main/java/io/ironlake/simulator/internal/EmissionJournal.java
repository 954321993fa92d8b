package io.ironlake.simulator.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.simulator.EmittedPoint;
import io.ironlake.simulator.MeterReading;
import io.ironlake.simulator.SimulatorException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends emitted points and meter readings as JSON lines, buffered; flushed on close.
 *
 * <p>Lines: {@code {"kind":"point","device":"plant-sh/assembly/line-1/m01","tag":"power_kw",
 * "tsMicros":1700000000000000,"value":12.5,"channel":"OPCUA"}} and {@code {"kind":"meter",
 * "device":...,"tsMicros":...,"meterKwh":1034.25,"trueEnergyKwh":0.5}}.
 */
public final class EmissionJournal {

  private static final Logger LOG = LoggerFactory.getLogger(EmissionJournal.class);
  private static final JsonFactory JSON = new JsonFactory();

  private final Path file;
  private final Writer writer;
  private boolean failed;
  private boolean closed;

  private EmissionJournal(Path file, Writer writer) {
    this.file = file;
    this.writer = writer;
  }

  /** Opens {@code file} for appending, creating its folder. */
  public static EmissionJournal open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      BufferedWriter writer =
          new BufferedWriter(
              Files.newBufferedWriter(
                  file,
                  StandardCharsets.UTF_8,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.APPEND),
              1 << 16);
      return new EmissionJournal(file, writer);
    } catch (IOException e) {
      throw new SimulatorException(
          "Cannot open emission journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Appends one point. */
  public void point(EmittedPoint point) {
    write(
        g -> {
          g.writeStringField("kind", "point");
          g.writeStringField("device", point.devicePath());
          g.writeStringField("tag", point.tag());
          g.writeNumberField("tsMicros", point.tsMicros());
          g.writeFieldName("value");
          writeValue(g, point.value());
          g.writeStringField("channel", point.channel().name());
        });
  }

  /** Appends one meter reading. */
  public void meter(String devicePath, MeterReading reading) {
    write(
        g -> {
          g.writeStringField("kind", "meter");
          g.writeStringField("device", devicePath);
          g.writeNumberField("tsMicros", reading.tsMicros());
          g.writeNumberField("meterKwh", reading.meterKwh());
          g.writeNumberField("trueEnergyKwh", reading.trueEnergyKwh());
        });
  }

  /** Flushes and closes the file. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } catch (IOException e) {
      LOG.warn("Cannot close emission journal: file={}, error={}", file, e.toString());
    }
  }

  static void writeValue(JsonGenerator g, PointValue value) throws IOException {
    if (value instanceof PointValue.DoubleValue d) {
      g.writeNumber(d.value());
    } else if (value instanceof PointValue.LongValue l) {
      g.writeNumber(l.value());
    } else if (value instanceof PointValue.BooleanValue b) {
      g.writeBoolean(b.value());
    } else {
      g.writeString(value.asText());
    }
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private void write(Fields fields) {
    if (closed || failed) {
      return;
    }
    try {
      JsonGenerator g = JSON.createGenerator(writer);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
      g.flush();
      writer.write('\n');
    } catch (IOException e) {
      failed = true;
      LOG.warn(
          "Cannot write emission journal, journal stops here: file={}, error={}",
          file,
          e.toString());
    }
  }
}
