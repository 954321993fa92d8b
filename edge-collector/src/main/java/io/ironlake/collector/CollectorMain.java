package io.ironlake.collector;

import io.ironlake.collector.check.CollectorCheck;
import io.ironlake.collector.check.ConditionAck;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.CollectorConfigLoader;
import io.ironlake.collector.config.InvalidConfigException;
import io.ironlake.collector.spool.SpoolStats;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the edge collector on its own: {@code CollectorMain run --config FILE [--stats-every-s N]}
 * (stops cleanly, flushing Kafka and persisting counters, on SIGTERM or Ctrl-C; reloads the mapping
 * when the file changes), or checks a config file against its sources: {@code CollectorMain check
 * --config FILE [--listen 10s]}, or acknowledges an OPC UA condition: {@code CollectorMain ack
 * --config FILE --source NAME --condition ID --event-id HEX [--comment TEXT]}.
 */
public final class CollectorMain {
  static {
    // The module's own logging setup, unless the user chose one; set before any logger exists.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "ironlake-collector-log4j2.xml");
      // Log4j's own shutdown hook would stop logging before ours logs the clean stop.
      System.setProperty("log4j.shutdownHookEnabled", "false");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(CollectorMain.class);

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: CollectorMain run --config FILE [--stats-every-s N]",
          "       CollectorMain check --config FILE [--listen 10s]",
          "       CollectorMain ack --config FILE --source NAME --condition ID --event-id HEX"
              + " [--comment TEXT]",
          "  run                 run the edge collector until stopped (SIGTERM, Ctrl-C); changes",
          "                      of the file's sources are applied without a restart",
          "  check               validate the file, connect to each source (not to Kafka) and",
          "                      print what would be mapped; exit 1 if a source is unreachable",
          "  --config FILE       the collector's YAML file (see edge-collector/README.md)",
          "  --stats-every-s N   log the counters every N seconds (default 10, 0 = never)",
          "  --listen DURATION   how long check listens to each MQTT source (default 10s)",
          "  ack                 acknowledge an OPC UA condition on a source's server: its",
          "                      condition_id and event_id as on events.v1; exit 1 if refused");

  /** How often {@code run} looks at the config file for changes. */
  static final Duration WATCH_EVERY = Duration.ofSeconds(1);

  private CollectorMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  /** Parses the arguments and runs; returns the process exit code. */
  static int run(String[] args, PrintStream err) {
    return run(args, System.out, err);
  }

  /** Parses the arguments and runs; {@code check} reports on {@code out}; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Path config = null;
    long statsEvery = 10;
    Duration listen = Duration.ofSeconds(10);
    if (args.length > 0 && args[0].equals("ack")) {
      return ack(args, out, err);
    }
    boolean check = args.length > 0 && args[0].equals("check");
    if (args.length == 0 || !(args[0].equals("run") || check)) {
      err.println(args.length == 0 ? USAGE : "Unknown command: " + args[0] + "\n" + USAGE);
      return 2;
    }
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--config") || a.equals("--stats-every-s") || a.equals("--listen"))
          && i + 1 >= args.length) {
        err.println("Missing value for " + a + "\n" + USAGE);
        return 2;
      }
      if (a.equals("--config")) {
        config = Path.of(args[++i]);
      } else if (a.equals("--listen") && check) {
        listen = parseDuration(args[++i]);
        if (listen == null) {
          err.println(
              "Invalid value \""
                  + args[i]
                  + "\" for --listen: expected a duration like 10s, 500ms, 1m");
          return 2;
        }
      } else if (a.equals("--stats-every-s") && !check) {
        try {
          statsEvery = Long.parseLong(args[++i]);
        } catch (NumberFormatException e) {
          err.println("Invalid value \"" + args[i] + "\" for --stats-every-s: expected seconds");
          return 2;
        }
      } else {
        err.println("Unknown option: " + a + "\n" + USAGE);
        return 2;
      }
    }
    if (config == null) {
      err.println("Missing option --config FILE\n" + USAGE);
      return 2;
    }
    CollectorConfig cfg;
    try {
      cfg = CollectorConfigLoader.load(config);
    } catch (InvalidConfigException e) {
      e.problems().forEach(err::println);
      return 2;
    }
    if (check) {
      return CollectorCheck.run(cfg, listen, new PrintWriter(out, true, StandardCharsets.UTF_8));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    EdgeCollector collector;
    try {
      collector = EdgeCollector.start(cfg, Clock.systemUTC());
    } catch (CollectorException e) {
      err.println(e.getMessage());
      return 1;
    }
    collector.watch(config, WATCH_EVERY);
    Thread hook =
        new Thread(
            () -> {
              collector.close();
              stopped.countDown();
            },
            "ironlake-collector-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      while (!stopped.await(statsEvery > 0 ? statsEvery : 3600, TimeUnit.SECONDS)) {
        if (statsEvery > 0) {
          CollectorStats s = collector.stats();
          SpoolStats sp = collector.spoolStats();
          LOG.info(
              "collector stats: collectorId={}, pointsRead={}, pointsSent={}, deadLetters={},"
                  + " sendErrors={}, spoolPoints={}, spoolBytes={}, pointsReplayed={},"
                  + " pointsDropped={}, redeliveriesSkipped={}, sources={}",
              cfg.id(),
              s.pointsRead(),
              s.pointsSent(),
              s.deadLetters(),
              s.sendErrors(),
              sp.points(),
              sp.bytes(),
              sp.pointsReplayed(),
              sp.pointsDropped(),
              sp.redeliveriesSkipped(),
              collector.sourceStates());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      collector.close();
    }
    return 0;
  }

  /** {@code ack}: acknowledges one condition; 0 when the server accepted it. */
  private static int ack(String[] args, PrintStream out, PrintStream err) {
    java.util.Map<String, String> options = new java.util.HashMap<>();
    java.util.Set<String> known =
        java.util.Set.of("--config", "--source", "--condition", "--event-id", "--comment");
    for (int i = 1; i < args.length; i++) {
      if (!known.contains(args[i])) {
        err.println("Unknown option: " + args[i] + "\n" + USAGE);
        return 2;
      }
      if (i + 1 >= args.length) {
        err.println("Missing value for " + args[i] + "\n" + USAGE);
        return 2;
      }
      options.put(args[i], args[++i]);
    }
    for (String required : List.of("--config", "--source", "--condition", "--event-id")) {
      if (!options.containsKey(required)) {
        err.println("Missing option " + required + "\n" + USAGE);
        return 2;
      }
    }
    CollectorConfig cfg;
    Path file = Path.of(options.get("--config"));
    try {
      cfg = CollectorConfigLoader.load(file);
    } catch (InvalidConfigException e) {
      e.problems().forEach(err::println);
      return 2;
    }
    return ConditionAck.run(
        cfg,
        file,
        options.get("--source"),
        options.get("--condition"),
        options.get("--event-id"),
        options.getOrDefault("--comment", ""),
        new PrintWriter(out, true, StandardCharsets.UTF_8),
        new PrintWriter(err, true, StandardCharsets.UTF_8));
  }

  /** {@code 10s}, {@code 500ms}, {@code 2m} or plain seconds; {@code null} when it is none. */
  static Duration parseDuration(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)?").matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
