package io.ironlake.jobs.safety;

/**
 * One lifecycle event of one alarm occurrence: a row of {@code ironlake.alarms} and a message on
 * {@code alarms.v1}. The alarm's key is {@code site/area/line/device/tag/TYPE}; an occurrence's id
 * is the key plus {@code /<raised ts in microseconds>}, the same on every event of it.
 *
 * @param alarmId the occurrence's id
 * @param site ISA-95 site
 * @param area ISA-95 area
 * @param line ISA-95 line
 * @param device the device
 * @param tag the tag (for PATTERN alarms the pattern's name, for SPC the characteristic)
 * @param type what kind of alarm
 * @param priority how urgent
 * @param state RAISED, CLEARED or ACKNOWLEDGED
 * @param value the value checked (ROC: the rate per second; SPC: the subgroup mean), NaN if none
 * @param limit the limit it was checked against, NaN if none
 * @param tsMicros when this event happened (event time; for ACKNOWLEDGED the command's time)
 * @param raisedTsMicros when the occurrence was raised
 * @param message what happened, in words
 * @param actor who acknowledged (ACKNOWLEDGED only), else null
 * @param rulesVersion the version of the rule catalog that raised it (0: the catalog the job
 *     started with)
 */
public record AlarmEvent(
    String alarmId,
    String site,
    String area,
    String line,
    String device,
    String tag,
    AlarmType type,
    Priority priority,
    AlarmState state,
    double value,
    double limit,
    long tsMicros,
    long raisedTsMicros,
    String message,
    String actor,
    long rulesVersion) {

  /** An event made by the catalog the job started with (rules version 0). */
  public AlarmEvent(
      String alarmId,
      String site,
      String area,
      String line,
      String device,
      String tag,
      AlarmType type,
      Priority priority,
      AlarmState state,
      double value,
      double limit,
      long tsMicros,
      long raisedTsMicros,
      String message,
      String actor) {
    this(
        alarmId,
        site,
        area,
        line,
        device,
        tag,
        type,
        priority,
        state,
        value,
        limit,
        tsMicros,
        raisedTsMicros,
        message,
        actor,
        0L);
  }

  /** This event, made by rules version {@code version}. */
  public AlarmEvent withRulesVersion(long version) {
    return new AlarmEvent(
        alarmId,
        site,
        area,
        line,
        device,
        tag,
        type,
        priority,
        state,
        value,
        limit,
        tsMicros,
        raisedTsMicros,
        message,
        actor,
        version);
  }

  /** An event of the occurrence raised at {@code raisedTsMicros}; the id is derived. */
  public static AlarmEvent of(
      String site,
      String area,
      String line,
      String device,
      String tag,
      AlarmType type,
      Priority priority,
      AlarmState state,
      double value,
      double limit,
      long tsMicros,
      long raisedTsMicros,
      String message) {
    String key = key(site + '/' + area + '/' + line + '/' + device, tag, type);
    return new AlarmEvent(
        key + '/' + raisedTsMicros,
        site,
        area,
        line,
        device,
        tag,
        type,
        priority,
        state,
        value,
        limit,
        tsMicros,
        raisedTsMicros,
        message,
        null);
  }

  /** The alarm's key: {@code site/area/line/device/tag/TYPE}. */
  public String key() {
    return key(devicePath(), tag, type);
  }

  /** {@code site/area/line/device}. */
  public String devicePath() {
    return site + '/' + area + '/' + line + '/' + device;
  }

  /** {@code site/area/line}. */
  public String linePath() {
    return site + '/' + area + '/' + line;
  }

  /** The ACKNOWLEDGED event of this occurrence. */
  public AlarmEvent acknowledged(long atMicros, String by) {
    return new AlarmEvent(
        alarmId,
        site,
        area,
        line,
        device,
        tag,
        type,
        priority,
        AlarmState.ACKNOWLEDGED,
        value,
        limit,
        atMicros,
        raisedTsMicros,
        "acknowledged by " + by,
        by,
        rulesVersion);
  }

  /** The alarm key an occurrence id belongs to (the id without its last segment). */
  public static String keyOfId(String alarmId) {
    int slash = alarmId.lastIndexOf('/');
    return slash < 0 ? alarmId : alarmId.substring(0, slash);
  }

  private static String key(String devicePath, String tag, AlarmType type) {
    return devicePath + '/' + tag + '/' + type.name();
  }
}
