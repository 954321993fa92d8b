package io.ironlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's promise: {@code quickstart --duration} exits 0 with a summary; {@code sql} shows it.
 */
@Tag("slow")
class QuickstartCommandTest {
  @TempDir Path dataDir;

  @Test
  void quickstartForADurationThenSqlShowsWhatLanded() {
    Result quickstart =
        run(
            "quickstart",
            "--data-dir",
            dataDir.toString(),
            "--duration",
            "25s",
            "--speed",
            "30",
            "--lines",
            "1",
            "--machines-per-line",
            "2",
            "--checkpoint-interval",
            "2s");
    assertThat(quickstart.code).as(quickstart.err).isZero();
    assertThat(quickstart.out).contains("Summary").contains("INSECURE");
    assertThat(quickstart.out)
        .contains("Live topics:      alarms.v1, energy-demand.v1, energy-peak.v1")
        .contains("oee.v1, spc.v1")
        .contains("--topic energy.v1 --from-beginning --isolation-level read_committed");
    long sent = number(quickstart.out, "points sent to Kafka\\s+([\\d,]+)");
    long rows = number(quickstart.out, "ironlake\\.telemetry\\s+([\\d,]+) rows");
    assertThat(sent).isPositive();
    assertThat(rows).as("every sent point was drained into the lake").isEqualTo(sent);
    assertThat(number(quickstart.out, "dead letters\\s+([\\d,]+)")).isZero();

    Result sql =
        run(
            "sql",
            "--data-dir",
            dataDir.toString(),
            "SELECT count(*) AS n FROM ironlake.telemetry");
    assertThat(sql.code).as(sql.err).isZero();
    assertThat(sql.out.lines().toList()).containsExactly("n", Long.toString(rows));

    Result bad = run("sql", "--data-dir", dataDir.toString(), "SELECT nope FROM ironlake.nothing");
    assertThat(bad.code).isNotZero();
    assertThat(bad.err)
        .startsWith("ironlake: Cannot run query")
        .contains("ironlake.energy")
        .contains("ironlake.telemetry");
  }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = IronlakeMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
