package io.ironlake.jobs.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a SQL statement returned: column names and rows of Java values (String, Long, Double,
 * Boolean, Integer, {@link java.time.Instant} for timestamptz columns, ...; null for SQL NULL).
 *
 * @param columns the column names, in order
 * @param rows the rows, each as long as {@code columns}
 */
public record QueryResult(List<String> columns, List<List<Object>> rows) {
  public QueryResult {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      // Not List.copyOf: SQL NULLs are values here.
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }
}
