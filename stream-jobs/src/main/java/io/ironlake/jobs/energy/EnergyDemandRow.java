package io.ironlake.jobs.energy;

/**
 * The 15-minute demand of one device (scope {@code DEVICE}) or line (scope {@code LINE}, device
 * null): a row of {@code ironlake.energy_demand}.
 *
 * @param scope {@code DEVICE} or {@code LINE}
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device; null on line rows
 * @param intervalStartMicros interval start (a quarter hour), inclusive
 * @param intervalEndMicros interval end, exclusive
 * @param energyKwh energy of the minute rows in the interval
 * @param demandKw average power over the interval: energy / 0.25 h
 * @param minutes minute rows summed
 */
public record EnergyDemandRow(
    String scope,
    String site,
    String area,
    String line,
    String device,
    long intervalStartMicros,
    long intervalEndMicros,
    double energyKwh,
    double demandKw,
    int minutes) {}
