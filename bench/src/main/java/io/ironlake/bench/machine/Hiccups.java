package io.ironlake.bench.machine;

import java.util.Arrays;

/**
 * How long this machine keeps a ready thread from running: a thread sleeps 1 ms over and over and
 * records how much later than asked it woke. Nothing else runs in this JVM, so what it sees is the
 * machine (other processes, the hypervisor), not this JVM's own pauses.
 *
 * <p>Run alone for the idle machine, or beside a benchmark or {@link AllocationLoad} to see what
 * they do to every other process: {@code bench/run io.ironlake.bench.machine.Hiccups 25}
 */
public final class Hiccups {
  private Hiccups() {}

  public static void main(String[] args) throws InterruptedException {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[] late = new long[1 << 16];
    int n = 0;
    long samples = 0;
    while (System.nanoTime() < end) {
      long t = System.nanoTime();
      Thread.sleep(1);
      long lateMs = (System.nanoTime() - t - 1_000_000L) / 1_000_000L;
      samples++;
      if (lateMs > 5 && n < late.length) {
        late[n++] = lateMs;
      }
    }
    long[] hiccups = Arrays.copyOf(late, n);
    Arrays.sort(hiccups);
    long over20 = Arrays.stream(hiccups).filter(ms -> ms > 20).count();
    System.out.printf(
        "%d s, %,d wake-ups of a 1 ms sleep: %d woke more than 5 ms late, %d more than 20 ms,"
            + " %d ms lost in them; the largest: %s%n",
        seconds,
        samples,
        n,
        over20,
        Arrays.stream(hiccups).sum(),
        Arrays.toString(Arrays.copyOfRange(hiccups, Math.max(0, n - 10), n)));
  }
}
