package io.ironlake.cli.quickstart;

import java.io.PrintWriter;

/**
 * Prints the quickstart's live progress: on a terminal one line rewritten in place every second,
 * otherwise (scripts, CI) one line every ten seconds.
 */
public final class ProgressLine {
  private static final long NON_TTY_EVERY_NANOS = 10_000_000_000L;
  private final PrintWriter out;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private long lastNanos = startNanos;
  private long lastPrintedNanos;
  private long lastRead;
  private int lastLength;

  public ProgressLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Takes a new reading of the pipeline and prints it if due. */
  public void update(QuickstartPipeline.Stats s) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    double rate = (s.pointsRead() - lastRead) / seconds;
    lastRead = s.pointsRead();
    lastNanos = now;
    String line = format(s, rate, (now - startNanos) / 1_000_000_000L);
    if (terminal) {
      out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
      lastLength = line.length();
      out.flush();
    } else if (now - lastPrintedNanos >= NON_TTY_EVERY_NANOS) {
      out.println(line);
      out.flush();
      lastPrintedNanos = now;
    }
  }

  /** Ends the in-place line. */
  public void finish() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }

  static String format(QuickstartPipeline.Stats s, double pointsPerSecond, long elapsedSeconds) {
    StringBuilder lake = new StringBuilder();
    s.tableRows()
        .forEach(
            (table, rows) -> {
              if (rows > 0 || table.equals("telemetry") || table.equals("energy")) {
                lake.append(lake.length() == 0 ? "" : ", ")
                    .append(String.format("%s %,d", table, rows));
              }
            });
    return String.format(
        "%02d:%02d:%02d  collecting %,.0f points/s | collected %,d | sent %,d | dead letters %,d"
            + " | lake rows: %s",
        elapsedSeconds / 3600,
        (elapsedSeconds / 60) % 60,
        elapsedSeconds % 60,
        pointsPerSecond,
        s.pointsRead(),
        s.pointsSent(),
        s.deadLetters(),
        lake);
  }
}
