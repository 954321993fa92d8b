package io.ironlake.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option shared by every command that touches local data. */
public final class DataDirOption {
  /** Default data directory, relative to where the command runs. */
  public static final String DEFAULT = "ironlake-data";

  @Option(
      names = "--data-dir",
      defaultValue = DEFAULT,
      description =
          "Where Kafka, the lakehouse (catalog + warehouse), checkpoints and logs live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  public Path dataDir() {
    return dataDir.toAbsolutePath().normalize();
  }

  /** Finds {@code --data-dir} in raw arguments before parsing, so logging can be set up first. */
  static Path fromArgs(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data-dir") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--data-dir=")) {
        return Path.of(args[i].substring("--data-dir=".length()));
      }
    }
    return Path.of(DEFAULT);
  }
}
