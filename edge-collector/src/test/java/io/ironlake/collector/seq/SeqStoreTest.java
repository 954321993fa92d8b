package io.ironlake.collector.seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqStoreTest {
  @TempDir Path dir;

  @Test
  void numbersRiseByOneFromZero() {
    try (SeqStore seq = SeqStore.open(dir.resolve("a.seq"), 3)) {
      for (long i = 0; i < 10; i++) {
        assertThat(seq.next()).isEqualTo(i);
      }
    }
  }

  @Test
  void aRunOfNumbersIsTakenAtOnceAndACrashNeverRepeatsAnyOfThem() {
    Path file = dir.resolve("a.seq");
    SeqStore seq = SeqStore.open(file, 10);
    assertThat(seq.next(4)).isZero();
    assertThat(seq.next()).isEqualTo(4);
    // Larger than a block: all of it is reserved before it is handed out.
    assertThat(seq.next(25)).isEqualTo(5);
    assertThat(seq.next(1)).isEqualTo(30);
    assertThatThrownBy(() -> seq.next(0)).isInstanceOf(IllegalArgumentException.class);
    // Dropped without close(), as after kill -9.
    try (SeqStore again = SeqStore.open(file, 10)) {
      assertThat(again.next()).isGreaterThanOrEqualTo(31);
    }
  }

  @Test
  void cleanRestartContinuesWithoutAGap() {
    Path file = dir.resolve("a.seq");
    try (SeqStore seq = SeqStore.open(file, 100)) {
      for (int i = 0; i < 42; i++) {
        seq.next();
      }
    }
    try (SeqStore seq = SeqStore.open(file, 100)) {
      assertThat(seq.next()).isEqualTo(42);
    }
  }

  @Test
  void crashNeverRepeatsANumber() {
    Path file = dir.resolve("a.seq");
    Set<Long> seen = new HashSet<>();
    // Three "crashes": the store is dropped without close(), as after kill -9.
    for (int run = 0; run < 3; run++) {
      SeqStore seq = SeqStore.open(file, 10);
      for (int i = 0; i < 25; i++) {
        assertThat(seen.add(seq.next())).as("number handed out twice").isTrue();
      }
    }
    SeqStore seq = SeqStore.open(file, 10);
    long first = seq.next();
    assertThat(seen).allSatisfy(n -> assertThat(n).isLessThan(first));
    // Each crash skips at most the rest of one block.
    assertThat(first).isLessThanOrEqualTo(3 * 30L);
  }

  @Test
  void reservationIsOnDiskBeforeTheBlockIsUsed() throws IOException {
    Path file = dir.resolve("a.seq");
    SeqStore seq = SeqStore.open(file, 1000);
    seq.next();
    assertThat(Files.readString(file).trim()).isEqualTo("1000");
    assertThat(dir.resolve("a.seq.tmp")).doesNotExist();
  }

  @Test
  void corruptCounterIsRefusedWithTheFileNamed() throws IOException {
    Path file = dir.resolve("a.seq");
    Files.writeString(file, "garbage");

    assertThatThrownBy(() -> SeqStore.open(file, 10))
        .isInstanceOf(CollectorStateException.class)
        .hasMessageStartingWith("Cannot read sequence counter " + file + ": expected a number");
  }

  @Test
  void stateFolderTakesOneCollectorAtATime() {
    try (StateDirLock lock = StateDirLock.acquire(dir.resolve("state"))) {
      assertThatThrownBy(() -> StateDirLock.acquire(dir.resolve("state")))
          .isInstanceOf(CollectorStateException.class)
          .hasMessageContaining("Cannot lock state folder");
    }
    StateDirLock.acquire(dir.resolve("state")).close();
  }
}
