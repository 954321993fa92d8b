package io.ironlake.collector;

import java.util.List;

/**
 * What a configuration reload did.
 *
 * @param added sources started
 * @param removed sources stopped
 * @param restarted sources whose settings or mapping changed, handed over to a new instance
 * @param notApplied config keys that changed but need a restart of the collector (kept as running)
 */
public record ReloadResult(
    List<String> added, List<String> removed, List<String> restarted, List<String> notApplied) {
  public ReloadResult {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    restarted = List.copyOf(restarted);
    notApplied = List.copyOf(notApplied);
  }

  /** Whether the reload changed nothing in the running collector. */
  public boolean unchanged() {
    return added.isEmpty() && removed.isEmpty() && restarted.isEmpty();
  }
}
