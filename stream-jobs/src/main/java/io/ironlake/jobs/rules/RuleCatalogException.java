package io.ironlake.jobs.rules;

import java.util.List;

/**
 * A rule catalog file is invalid: one message per problem, each naming the file, the key path and
 * what was expected.
 */
public class RuleCatalogException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public RuleCatalogException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order. */
  public List<String> problems() {
    return problems;
  }
}
