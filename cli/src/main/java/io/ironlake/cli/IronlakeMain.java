package io.ironlake.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code ironlake} command: quickstart, simulate, sql and the collector. */
@Command(
    name = "ironlake",
    mixinStandardHelpOptions = true,
    versionProvider = IronlakeMain.Version.class,
    description = "Ironlake: industrial telemetry from the shop floor to a shared lakehouse.",
    subcommands = {
      QuickstartCommand.class,
      SimulateCommand.class,
      SqlCommand.class,
      CollectorCommand.class,
      JobsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class IronlakeMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Logs go to <data-dir>/logs: set it before any class creates a logger. Name our config
    // explicitly: Kafka's jars carry a log4j2.yaml that log4j would otherwise prefer.
    System.setProperty("log4j2.configurationFile", "ironlake-log4j2.xml");
    System.setProperty(
        "ironlake.log.dir",
        DataDirOption.fromArgs(args).resolve("logs").toAbsolutePath().toString());
    System.exit(commandLine().execute(args));
  }

  /** The configured picocli command line (also used by tests). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new IronlakeMain());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.registerConverter(java.time.Duration.class, new DurationConverter());
    cl.registerConverter(Path.class, Path::of);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("ironlake: " + rootMessage(ex));
          return 2;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String rootMessage(Throwable t) {
    String msg = t.getMessage();
    Throwable c = t;
    while (c.getCause() != null && (msg == null || msg.isBlank())) {
      c = c.getCause();
      msg = c.getMessage();
    }
    return msg == null ? t.getClass().getSimpleName() : msg;
  }

  /** Prints the version of the running build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = IronlakeMain.class.getPackage().getImplementationVersion();
      return new String[] {"ironlake " + (v == null ? "development build" : v)};
    }
  }
}
