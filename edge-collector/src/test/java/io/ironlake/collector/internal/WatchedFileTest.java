package io.ironlake.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedFileTest {
  private static final Instant NOW = Instant.parse("2026-03-02T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void aSettledFileIsNotReadAgainUntilItChanges() throws IOException {
    Path file = write("a: 1\n", NOW.minusSeconds(60));
    WatchedFile watched = new WatchedFile(file, CLOCK);
    for (int i = 0; i < 5; i++) {
      assertThat(watched.changed()).isNull();
    }
    assertThat(watched.reads()).isEqualTo(1);

    write("a: 2\n", NOW.minusSeconds(30));
    assertThat(watched.changed()).isEqualTo("a: 2\n");
    assertThat(watched.changed()).isNull();
    assertThat(watched.reads()).isEqualTo(2);
  }

  @Test
  void aRecentlyModifiedFileIsComparedByContent() throws IOException {
    Path file = write("a: 1\n", NOW);
    WatchedFile watched = new WatchedFile(file, CLOCK);
    // Same size, same coarse time stamp: only the content tells.
    write("a: 2\n", NOW);
    assertThat(watched.changed()).isEqualTo("a: 2\n");
    // Read again while recent, but not reported: the content is the same.
    assertThat(watched.changed()).isNull();
    assertThat(watched.reads()).isEqualTo(3);
  }

  @Test
  void aMissingFileReportsNothingAndKeepsTheLastContent() throws IOException {
    Path file = write("a: 1\n", NOW.minusSeconds(60));
    WatchedFile watched = new WatchedFile(file, CLOCK);
    Files.delete(file);
    assertThat(watched.changed()).isNull();
    write("a: 1\n", NOW.minusSeconds(10));
    assertThat(watched.changed()).as("back as it was").isNull();
    write("a: 3\n", NOW.minusSeconds(5));
    assertThat(watched.changed()).isEqualTo("a: 3\n");
  }

  private Path write(String text, Instant modified) throws IOException {
    Path file = dir.resolve("collector.yaml");
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }
}
