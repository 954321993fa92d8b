package io.ironlake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
  @Test
  void readsShortAndIsoForms() {
    assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationConverter.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesWhatItCannotRead() {
    for (String bad : new String[] {"", "90", "s", "9x", "1h 30m", "-5s", "PTxS"}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad))
          .as(bad)
          .isInstanceOf(CommandLine.TypeConversionException.class)
          .hasMessageContaining("Invalid duration '" + bad + "'");
    }
  }

  @Test
  void csvQuotesOnlyWhatNeedsIt() {
    assertThat(Csv.line(java.util.Arrays.asList("a", 1, null, "x,y", "say \"hi\"")))
        .isEqualTo("a,1,,\"x,y\",\"say \"\"hi\"\"\"");
  }
}
