package io.ironlake.simulator.internal;

import io.ironlake.simulator.SpecLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The physics of one simulated machine, advanced one tick at a time.
 *
 * <p>Deterministic: the values depend only on the seed, the device path, the settings and the tick
 * index. Each tick draws the same number of random numbers whatever happens, so a forced meter
 * reset changes nothing but the meter.
 */
public final class MachineModel {

  /** Spec limits of {@code diameter_mm}. */
  public static final SpecLimits DIAMETER_LIMITS = new SpecLimits(11.95, 12.0, 12.05);

  private static final double DIAMETER_SIGMA = 0.008;
  private static final double TEMPERATURE_TAU_SECONDS = 600;

  private final SplittableRandom random;
  private final long startMicros;
  private final long tickMicros;
  private final double tickSeconds;
  private final double pFault;
  private final double pIdle;
  private final double pReset;
  private final double pDrift;
  private final long forcedResetTick;

  private final double ratedPowerKw;
  private final double idealCycleSeconds;
  private final double performance;
  private final double scrapRate;
  private final double ambientC;
  private final double phase;

  private long nextTick;
  private MachineState state = MachineState.RUNNING;
  private double stateSecondsLeft;
  private double trueEnergyKwh;
  private double meterBaseKwh;
  private double meterAnchorKwh;
  private double partsPending;
  private long goodCount;
  private long totalCount;
  private double driftMmPerMinute;
  private double driftOffsetMm;
  private double temperatureC;

  /**
   * @param seed the factory's seed
   * @param devicePath {@code site/area/line/device}; mixed into the seed so machines differ
   * @param forcedReset simulated offset of a forced meter reset, or null
   */
  public MachineModel(
      long seed,
      String devicePath,
      Instant startTime,
      Duration tick,
      double faultPerHour,
      double idlePerHour,
      double resetPerDay,
      double driftPerHour,
      Duration forcedReset) {
    this.random = new SplittableRandom(mix(seed, devicePath));
    this.startMicros = startTime.getEpochSecond() * 1_000_000 + startTime.getNano() / 1_000;
    this.tickMicros = tick.toNanos() / 1_000;
    this.tickSeconds = tick.toNanos() / 1e9;
    this.pFault = perTick(faultPerHour, tickSeconds / 3600);
    this.pIdle = perTick(idlePerHour, tickSeconds / 3600);
    this.pReset = perTick(resetPerDay, tickSeconds / 86_400);
    this.pDrift = perTick(driftPerHour, tickSeconds / 3600);
    this.forcedResetTick =
        forcedReset == null
            ? -1
            : Math.max(1, (forcedReset.toNanos() + tick.toNanos() - 1) / tick.toNanos());
    this.ratedPowerKw = round(15 + random.nextDouble() * 30, 1);
    this.idealCycleSeconds = Math.round((20 + random.nextDouble() * 40) * 2) / 2.0;
    this.performance = 0.92 + random.nextDouble() * 0.07;
    this.scrapRate = 0.01 + random.nextDouble() * 0.03;
    this.ambientC = 22 + random.nextDouble() * 4;
    this.phase = random.nextDouble() * 2 * Math.PI;
    this.meterBaseKwh = round(1_000 + random.nextDouble() * 19_000, 3);
    this.temperatureC = ambientC + 15;
  }

  /** Rated power while running, kW. */
  public double ratedPowerKw() {
    return ratedPowerKw;
  }

  /** Ideal time to make one part. */
  public Duration idealCycleTime() {
    return Duration.ofMillis(Math.round(idealCycleSeconds * 1000));
  }

  /** Advances one tick and returns every tag's value at it. */
  public MachineSample step() {
    long n = nextTick++;
    // A fixed set of draws per tick keeps the sequence independent of what happens.
    double rState = random.nextDouble();
    double rDuration = random.nextDouble();
    double rReset = random.nextDouble();
    double rDrift = random.nextDouble();
    double rDriftSlope = random.nextDouble();
    double gPower = random.nextGaussian();
    double gDiameter = random.nextGaussian();
    double gTemperature = random.nextGaussian();
    double rScrap = random.nextDouble();

    if (n > 0) {
      advanceState(rState, rDuration);
    }
    double power = power(n, gPower);
    boolean reset = false;
    if (n > 0) {
      double increment = power * tickSeconds / 3600;
      trueEnergyKwh += increment;
      if (n == forcedResetTick || rReset < pReset) {
        // The meter rolled back to 0 at the start of this interval and counted this tick's energy.
        meterBaseKwh = 0;
        meterAnchorKwh = trueEnergyKwh - increment;
        reset = true;
      }
      produce(rScrap);
    }
    double meter = round(meterBaseKwh + trueEnergyKwh - meterAnchorKwh, 3);
    double diameter = diameter(rDrift, rDriftSlope, gDiameter);
    double temperature = temperature(power, gTemperature);
    return new MachineSample(
        n,
        startMicros + n * tickMicros,
        power,
        meter,
        trueEnergyKwh,
        state,
        goodCount,
        totalCount,
        diameter,
        temperature,
        reset);
  }

  private void advanceState(double r, double rDuration) {
    switch (state) {
      case RUNNING -> {
        if (r < pFault) {
          state = MachineState.DOWN;
          stateSecondsLeft = 120 + rDuration * 1_080;
        } else if (r < pFault + pIdle) {
          state = MachineState.IDLE;
          stateSecondsLeft = 60 + rDuration * 540;
        }
      }
      case IDLE, DOWN -> {
        stateSecondsLeft -= tickSeconds;
        if (stateSecondsLeft <= 0) {
          state = MachineState.RUNNING;
        }
      }
    }
  }

  private double power(long n, double gaussian) {
    double kw =
        switch (state) {
          case RUNNING -> {
            double wave = Math.sin(2 * Math.PI * n * tickSeconds / 600 + phase);
            yield ratedPowerKw * (0.9 + 0.05 * wave) + gaussian * 0.02 * ratedPowerKw;
          }
          case IDLE -> ratedPowerKw * 0.22 + gaussian * 0.01 * ratedPowerKw;
          case DOWN -> 0.05 + gaussian * 0.02;
        };
    return round(Math.max(0, kw), 3);
  }

  private void produce(double rScrap) {
    if (state != MachineState.RUNNING) {
      return;
    }
    partsPending += tickSeconds / idealCycleSeconds * performance;
    long parts = (long) partsPending;
    partsPending -= parts;
    for (long i = 0; i < parts; i++) {
      totalCount++;
      // Reuse one draw per tick: a tick makes at most a few parts.
      double r = (rScrap + i * 0.618_033_988_7) % 1.0;
      if (r >= scrapRate) {
        goodCount++;
      }
    }
  }

  private double diameter(double rDrift, double rSlope, double gaussian) {
    if (driftMmPerMinute == 0) {
      if (rDrift < pDrift) {
        driftMmPerMinute = (rSlope < 0.5 ? -1 : 1) * (0.0005 + (rSlope % 0.5) * 0.003);
      }
    } else {
      driftOffsetMm += driftMmPerMinute * tickSeconds / 60;
      if (Math.abs(driftOffsetMm) > 0.04 || rDrift < pDrift / 4) {
        // Tool change: the process is back on target.
        driftMmPerMinute = 0;
        driftOffsetMm = 0;
      }
    }
    return round(DIAMETER_LIMITS.nominal() + driftOffsetMm + gaussian * DIAMETER_SIGMA, 4);
  }

  private double temperature(double power, double gaussian) {
    double target = ambientC + power / ratedPowerKw * 20;
    double alpha = 1 - Math.exp(-tickSeconds / TEMPERATURE_TAU_SECONDS);
    temperatureC += (target - temperatureC) * alpha + gaussian * 0.05;
    return round(temperatureC, 2);
  }

  private static double perTick(double probability, double fraction) {
    if (probability >= 1) {
      return 1;
    }
    return 1 - Math.pow(1 - probability, fraction);
  }

  private static long mix(long seed, String devicePath) {
    long h = seed * 0x9E37_79B9_7F4A_7C15L + devicePath.hashCode();
    h ^= h >>> 33;
    h *= 0xff51_afd7_ed55_8ccdL;
    h ^= h >>> 33;
    return h;
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
