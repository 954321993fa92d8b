package io.ironlake.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicPatternTest {
  @Test
  void capturesBecomeSingleLevelWildcards() {
    TopicPattern p = TopicPattern.parse("factory/{site}/{area}/{line}/{device}/telemetry");

    assertThat(p.mqttFilter()).isEqualTo("factory/+/+/+/+/telemetry");
    assertThat(p.match("factory/plant-sh/assembly/line-1/m01/telemetry"))
        .contains(
            Map.of("site", "plant-sh", "area", "assembly", "line", "line-1", "device", "m01"));
    assertThat(p.match("factory/plant-sh/assembly/line-1/m01/status")).isEmpty();
    assertThat(p.match("factory/plant-sh/assembly/line-1/telemetry")).isEmpty();
    assertThat(p.match("factory/plant-sh/assembly/line-1/m01/telemetry/x")).isEmpty();
  }

  @Test
  void plusAndHash() {
    TopicPattern p = TopicPattern.parse("gw/+/{device}/#");

    assertThat(p.mqttFilter()).isEqualTo("gw/+/+/#");
    assertThat(p.match("gw/x/m07/a/b")).contains(Map.of("device", "m07"));
    assertThat(p.match("gw/x/m07")).contains(Map.of("device", "m07"));
    assertThat(p.match("other/x/m07")).isEmpty();
  }

  @Test
  void badPatterns() {
    assertThatThrownBy(() -> TopicPattern.parse("a/#/b")).hasMessage("'#' must be the last level");
    assertThatThrownBy(() -> TopicPattern.parse("a/{plant}"))
        .hasMessage("{plant} is not one of {site}, {area}, {line}, {device}, {tag}");
    assertThatThrownBy(() -> TopicPattern.parse("{device}/{device}"))
        .hasMessage("{device} appears twice");
    assertThatThrownBy(() -> TopicPattern.parse("a/b+"))
        .hasMessage("level \"b+\" mixes text with +, #, { or }");
  }
}
