package io.ironlake.collector.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;

/**
 * A file read again only when it may have changed: a poll first looks at the file's size and
 * modification time, and reads the file only when either moved or the modification time is recent
 * (a file system with a coarse clock can stamp two writes alike); the content is then compared with
 * the last one read. A collector's mapping file can hold tens of thousands of nodes (megabytes), so
 * reading it on every poll would cost a large allocation each time for nothing.
 */
public final class WatchedFile {
  /** How recent a modification time is read again whatever the size and time say. */
  static final Duration SETTLE = Duration.ofSeconds(2);

  private final Path file;
  private final Clock clock;
  private long size = -1;
  private FileTime modified;
  private String content;
  private long reads;

  /** Watches {@code file}, reading it now; a missing or unreadable file reads as null. */
  public WatchedFile(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
    this.content = read();
  }

  /**
   * The file's content if it changed since the last call (or the construction), else null; null too
   * while the file is missing or unreadable (the last content read is kept).
   */
  public String changed() {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
    boolean settled =
        a.lastModifiedTime().toMillis() < clock.millis() - SETTLE.toMillis()
            && a.lastModifiedTime().equals(modified);
    if (settled && a.size() == size) {
      return null;
    }
    String now = read();
    if (now == null || now.equals(content)) {
      return null;
    }
    content = now;
    return now;
  }

  /** How many times the file was read, since start. */
  public long reads() {
    return reads;
  }

  private String read() {
    try {
      BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
      String text = Files.readString(file);
      reads++;
      size = before.size();
      modified = before.lastModifiedTime();
      return text;
    } catch (IOException e) {
      return null;
    }
  }
}
