package io.ironlake.jobs.safety;

import io.ironlake.jobs.quality.NelsonRule;

/** What kind of condition an alarm reports, with its default priority. */
public enum AlarmType {
  /** Value above the high-high limit. */
  HH(Priority.HIGH),
  /** Value above the high limit. */
  H(Priority.MEDIUM),
  /** Value below the low limit. */
  L(Priority.MEDIUM),
  /** Value below the low-low limit. */
  LL(Priority.HIGH),
  /** Value changing faster than allowed (units per second). */
  ROC(Priority.MEDIUM),
  /** Value not changing for too long (a stuck sensor). */
  FROZEN(Priority.LOW),
  /** A multi-signal pattern in time matched (Flink CEP). */
  PATTERN(Priority.HIGH),
  /** SPC: Nelson rule 1 fires on a characteristic. */
  SPC_RULE_1(Priority.LOW),
  /** SPC: Nelson rule 2. */
  SPC_RULE_2(Priority.LOW),
  /** SPC: Nelson rule 3. */
  SPC_RULE_3(Priority.LOW),
  /** SPC: Nelson rule 4. */
  SPC_RULE_4(Priority.LOW),
  /** SPC: Nelson rule 5. */
  SPC_RULE_5(Priority.LOW),
  /** SPC: Nelson rule 6. */
  SPC_RULE_6(Priority.LOW),
  /** SPC: Nelson rule 7. */
  SPC_RULE_7(Priority.LOW),
  /** SPC: Nelson rule 8. */
  SPC_RULE_8(Priority.LOW);

  private final Priority defaultPriority;

  AlarmType(Priority defaultPriority) {
    this.defaultPriority = defaultPriority;
  }

  /** The priority an alarm of this type gets unless its rule says otherwise. */
  public Priority defaultPriority() {
    return defaultPriority;
  }

  /** The alarm type of a Nelson rule. */
  public static AlarmType spcRule(NelsonRule rule) {
    return valueOf("SPC_RULE_" + rule.number());
  }
}
