package io.ironlake.collector.config;

import io.ironlake.collector.CollectorException;
import java.util.List;

/**
 * The collector's configuration is wrong: one message per problem, each naming the file, the key
 * path and what was expected.
 */
public class InvalidConfigException extends CollectorException {
  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, one message each, in file order. */
  public List<String> problems() {
    return problems;
  }
}
