package io.ironlake.bench.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A JVM that allocates as fast as one thread can (1-3 KB arrays, 1 % of them kept for a while), so
 * that its garbage collector works hard: run it with the heap and collector under test beside
 * {@link Hiccups} to see whether its collections hold up other processes. {@code java -Xmx6g -cp
 * "bench/target/classes" io.ironlake.bench.machine.AllocationLoad 28}
 */
public final class AllocationLoad {
  private AllocationLoad() {}

  public static void main(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 28;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<byte[]> kept = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(42);
    long bytes = 0;
    while (System.nanoTime() < end) {
      byte[] b = new byte[1000 + random.nextInt(2000)];
      bytes += b.length;
      if (random.nextInt(100) == 0) {
        kept.add(b);
        if (kept.size() > 200_000) {
          kept.subList(0, 100_000).clear();
        }
      }
    }
    System.out.printf("allocated %,d MB in %d s%n", bytes >> 20, seconds);
  }
}
