package io.ironlake.jobs.safety;

import java.io.Serializable;

/**
 * The single-signal alarms of one tag; each part may be null (not checked). A rule catalog supplies
 * one per site/line/device/tag.
 *
 * @param limits HH/H/L/LL limit alarms
 * @param rateOfChange the rate-of-change alarm
 * @param frozen the frozen-value alarm
 */
public record TagSafetyParams(
    LimitAlarmParams limits, RateOfChangeParams rateOfChange, FrozenValueParams frozen)
    implements Serializable {}
