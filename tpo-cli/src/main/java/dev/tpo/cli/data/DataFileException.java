package dev.tpo.cli.data;

import dev.tpo.core.error.ConfigurationException;
import java.nio.file.Path;

/**
 * A data file that cannot be used: not found, not UTF-8, bad JSON, a wrong field, a blank prompt, a
 * duplicate id. The message names the file, the line and the fix.
 *
 * <p>Immutable; safe to share between threads.
 */
public class DataFileException extends ConfigurationException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  /** The 1-based line of the problem, 0 when not known. */
  private final int line;

  /**
   * Creates the exception.
   *
   * @param file the data file
   * @param line the 1-based line, or 0 when not tied to a line
   * @param problem what is wrong and how to fix it
   */
  public DataFileException(Path file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** @return the data file */
  public Path file() {
    return file;
  }

  /** @return the 1-based line, or 0 when the problem is not tied to a line */
  public int line() {
    return line;
  }
}
