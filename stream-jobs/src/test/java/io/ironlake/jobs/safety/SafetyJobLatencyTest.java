package io.ironlake.jobs.safety;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The safety job's latency settings: the watermark interval lowered to its bound, never raised; the
 * buffer timeout left to the environment (the fast path lowers it per operator, see {@link
 * SafetyJobGraphTest}).
 */
class SafetyJobLatencyTest {

  @Test
  void theWatermarkIntervalIsLoweredToTheSafetyJobsBound() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    assertThat(env.getConfig().getAutoWatermarkInterval()).as("Flink's default").isEqualTo(200);
    assertThat(env.getBufferTimeout()).as("Flink's default").isEqualTo(100);

    SafetyJob.tuneForLatency(env);

    assertThat(env.getConfig().getAutoWatermarkInterval())
        .isEqualTo(SafetyJob.WATERMARK_INTERVAL.toMillis())
        .isEqualTo(100);
    // Not lowered for every exchange: only the fast path's operators get 10 ms.
    assertThat(env.getBufferTimeout()).isEqualTo(100);
  }

  @Test
  void shorterOrDisabledSettingsStay() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    env.getConfig().setAutoWatermarkInterval(5);
    env.setBufferTimeout(5);

    SafetyJob.tuneForLatency(env);

    assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(5);
    assertThat(env.getBufferTimeout()).isEqualTo(5);

    env.setBufferTimeout(-1); // flush only full buffers, chosen explicitly: kept (with a WARN)
    SafetyJob.tuneForLatency(env);

    assertThat(env.getBufferTimeout()).isEqualTo(-1);
  }
}
