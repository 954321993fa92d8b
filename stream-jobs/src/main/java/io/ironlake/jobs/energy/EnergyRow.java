package io.ironlake.jobs.energy;

/**
 * Energy used by one device in one one-minute window: a row of {@code ironlake.energy}.
 *
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device
 * @param windowStartMicros window start, inclusive, microseconds since the epoch
 * @param windowEndMicros window end, exclusive
 * @param energyKwh the sum of the meter deltas attributed to this window
 * @param readings meter readings with a timestamp in the window
 * @param meterResets readings in the window where the meter went down (restarted from 0)
 */
public record EnergyRow(
    String site,
    String area,
    String line,
    String device,
    long windowStartMicros,
    long windowEndMicros,
    double energyKwh,
    int readings,
    int meterResets) {}
