package io.ironlake.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a request to stop, so a long-running command can drain and
 * close its parts in order before the JVM exits; a second signal exits at once (code 130).
 */
final class StopSignals {
  private StopSignals() {}

  static void install(CountDownLatch stop) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              if (stop.getCount() == 0) {
                Runtime.getRuntime().halt(130);
              }
              stop.countDown();
            });
      } catch (IllegalArgumentException e) {
        // the signal does not exist on this platform or is reserved by the JVM: keep its default
      }
    }
  }
}
