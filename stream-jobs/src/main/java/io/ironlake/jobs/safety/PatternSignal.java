package io.ironlake.jobs.safety;

/**
 * One condition of one multi-signal pattern met by one point: what {@link PatternAlarms}'s CEP
 * pattern matches on, keyed by {@link #key()} (device and pattern). It carries the pattern's
 * definition as it was when the point was judged, so a match uses the window and hold-off in effect
 * then.
 *
 * @param pattern the pattern's name
 * @param first whether the point met the pattern's {@code first} condition (else {@code second})
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device
 * @param condition the condition met, in words ({@code temperature_c > 45.0})
 * @param value the point's value
 * @param valueText the point's value as text
 * @param threshold the condition's threshold
 * @param tsMicros the point's time
 * @param withinMicros the pattern's {@code within} then
 * @param holdOffMicros the pattern's {@code holdOff} then
 * @param priority the pattern's priority then
 * @param definition a fingerprint of the pattern's definition then: a match needs both signals
 *     judged by the same definition
 * @param rulesVersion the version of the rule catalog that judged the point (0: the initial one)
 */
public record PatternSignal(
    String pattern,
    boolean first,
    String site,
    String area,
    String line,
    String device,
    String condition,
    double value,
    String valueText,
    double threshold,
    long tsMicros,
    long withinMicros,
    long holdOffMicros,
    Priority priority,
    int definition,
    long rulesVersion) {

  /** {@code site/area/line/device/pattern}. */
  public String key() {
    return site + '/' + area + '/' + line + '/' + device + '/' + pattern;
  }
}
