package io.ironlake.cli;

import io.ironlake.jobs.sql.LakeSql;
import io.ironlake.jobs.sql.QueryResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs SQL over the local lakehouse and prints CSV with a header. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a SQL query over the local lakehouse and prints CSV with a header.",
      "Tables: ironlake.telemetry, ironlake.energy. Example:",
      "  ironlake sql \"SELECT device, sum(energy_kwh) AS kwh FROM ironlake.energy GROUP BY device\""
    })
final class SqlCommand implements Callable<Integer> {
  @Mixin DataDirOption data;

  @Parameters(index = "0", paramLabel = "SQL", description = "The query.")
  String sql;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!java.nio.file.Files.isDirectory(data.dataDir())) {
      spec.commandLine()
          .getErr()
          .println(
              "ironlake: Cannot query: no lakehouse at "
                  + data.dataDir()
                  + " (run ./ironlake quickstart first, or pass --data-dir)");
      return 1;
    }
    QueryResult result = LakeSql.query(data.dataDir(), sql);
    PrintWriter out = spec.commandLine().getOut();
    out.println(Csv.line(result.columns()));
    for (List<Object> row : result.rows()) {
      out.println(Csv.line(row));
    }
    out.flush();
    return 0;
  }
}
