package io.ironlake.cli;

import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.MatchingRuleCatalog;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalogException;
import io.ironlake.jobs.rules.RuleCatalogFile;
import io.ironlake.jobs.rules.RuleTopic;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The rule catalog under {@code ironlake jobs rules}: check a file, publish it to running jobs. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "The rule catalog file: check it, or publish it to the running jobs.",
    subcommands = {RulesCommand.Check.class, RulesCommand.Apply.class})
final class RulesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Validates a catalog file. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Validates a rule catalog file and prints what it holds; lists every problem otherwise.",
        "Format: stream-jobs/README.md, example: stream-jobs/examples/rules.yaml"
      })
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The rule catalog (YAML).")
    Path file;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      MatchingRuleCatalog catalog = load(file, spec);
      if (catalog == null) {
        return 1;
      }
      spec.commandLine().getOut().println("Valid: " + summary(file, catalog));
      return 0;
    }
  }

  /** Validates a catalog file and publishes it to the rules topic. */
  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Validates a rule catalog file and publishes it to the compacted rules topic (created if",
        "missing): running jobs use it from their next points, subgroups and windows on, without",
        "a restart. An invalid file is not published."
      })
  static final class Apply implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The rule catalog (YAML).")
    Path file;

    @Option(
        names = "--kafka",
        required = true,
        description = "Kafka bootstrap servers, host:port[,...].")
    String kafka;

    @Option(
        names = "--topic",
        defaultValue = LiveRules.TOPIC_DEFAULT,
        description = "The rules topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      MatchingRuleCatalog catalog = load(file, spec);
      if (catalog == null) {
        return 1;
      }
      PublishedCatalog p = RuleTopic.publish(kafka, topic, file, Clock.systemUTC());
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Published "
              + summary(file, catalog)
              + " as version "
              + p.version()
              + " (sha256 "
              + p.sha256()
              + ") to "
              + topic
              + ".");
      return 0;
    }
  }

  /** Loads the file, or prints every problem to stderr and returns null. */
  static MatchingRuleCatalog load(Path file, CommandSpec spec) {
    try {
      return RuleCatalogFile.load(file);
    } catch (RuleCatalogException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("ironlake: Invalid rule catalog " + file + ":");
      e.problems().forEach(p -> err.println("  " + p));
      err.flush();
      return null;
    }
  }

  private static String summary(Path file, MatchingRuleCatalog c) {
    return "catalog "
        + c.name()
        + " from "
        + file
        + ": "
        + c.spcRules().size()
        + " spc, "
        + c.oeeRules().size()
        + " oee, "
        + c.safetyRules().size()
        + " safety, "
        + c.dataQualityRules().size()
        + " data-quality, "
        + c.energyRules().size()
        + " energy rules, "
        + c.patterns().size()
        + " patterns, flood "
        + c.flood().threshold()
        + " per "
        + c.flood().window();
  }
}
