package dev.tpo.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Describes a Jackson parse failure for a person: Jackson's own description without its source
 * references ({@code [Source: REDACTED ...]}, which say nothing to a user), plus the line and column
 * where the problem was found. Stateless; thread-safe.
 */
public final class JsonErrors {
  private JsonErrors() {}

  /**
   * The description of a parse failure.
   *
   * @param e the failure
   * @return for example {@code Unexpected end-of-input: expected close marker for Object (line 1,
   *     column 24)}
   */
  public static String describe(JsonProcessingException e) {
    return describe(e, true);
  }

  /**
   * The description of a parse failure, for callers that name the line themselves.
   *
   * @param e the failure
   * @param withLine whether to add the line before the column
   * @return the description, ending with {@code (column C)} or {@code (line L, column C)}
   */
  public static String describe(JsonProcessingException e, boolean withLine) {
    String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
        : e.getOriginalMessage();
    m = m.replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "")
        .replaceAll("\\[Source: [^\\]]*\\];?\\s*", "")
        .strip();
    if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
      m += withLine && e.getLocation().getLineNr() > 0
          ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
              + ")"
          : " (column " + e.getLocation().getColumnNr() + ")";
    }
    return m;
  }
}
