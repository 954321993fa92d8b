package io.ironlake.jobs.rules;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Which points a catalog rule applies to: a glob per level of the device path and the tag ({@code
 * *} any run of characters, {@code ?} one character, anything else literal; {@code *} matches
 * everything). A rule that names a level exactly is more specific than one with a pattern there,
 * which is more specific than {@code *}; levels weigh tag &gt; device &gt; line &gt; area &gt; site
 * (see {@link #specificity()}).
 *
 * @param site site glob
 * @param area area glob
 * @param line line glob
 * @param device device glob
 * @param tag tag glob
 */
public record RuleMatch(String site, String area, String line, String device, String tag)
    implements Serializable {
  /** A match of every point. */
  public static final RuleMatch ANY = new RuleMatch("*", "*", "*", "*", "*");

  public RuleMatch {
    site = orAny(site);
    area = orAny(area);
    line = orAny(line);
    device = orAny(device);
    tag = orAny(tag);
  }

  /** Whether a point of {@code site/area/line/device} with this tag is matched. */
  public boolean matches(String devicePath, String tagName) {
    String[] p = devicePath.split("/", 4);
    if (p.length != 4) {
      return false;
    }
    return glob(site, p[0])
        && glob(area, p[1])
        && glob(line, p[2])
        && glob(device, p[3])
        && (tagName == null || glob(tag, tagName));
  }

  /**
   * How specific the match is: each level scores 2 when named exactly, 1 for a pattern, 0 for
   * {@code *}; the scores compare level by level, tag first, then device, line, area, site. The
   * higher wins; on a tie the later rule in the file wins.
   */
  public int specificity() {
    return score(tag) * 81 + score(device) * 27 + score(line) * 9 + score(area) * 3 + score(site);
  }

  /** Whether the tag level is {@code *}. */
  public boolean anyTag() {
    return "*".equals(tag);
  }

  @Override
  public String toString() {
    return site + "/" + area + "/" + line + "/" + device + " " + tag;
  }

  private static int score(String glob) {
    if ("*".equals(glob)) {
      return 0;
    }
    return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0 ? 1 : 2;
  }

  private static String orAny(String glob) {
    return glob == null || glob.isEmpty() ? "*" : glob;
  }

  static boolean glob(String glob, String value) {
    if ("*".equals(glob)) {
      return true;
    }
    if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
      return glob.equals(value);
    }
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return value.matches(regex.toString());
  }
}
