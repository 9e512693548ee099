package dev.tpo.cli;

/**
 * The exit statuses of the {@code tpo} command. Stateless; thread-safe.
 */
public final class ExitCodes {
  /** Every prompt has a result. */
  public static final int OK = 0;
  /** The run finished but some prompts failed (they have error lines and run again next time). */
  public static final int PROMPTS_FAILED = 1;
  /** Bad command line, option value or data file: nothing was sent. */
  public static final int USAGE = 2;
  /** The policy server or reward scorer is unreachable or refused the settings. */
  public static final int UNAVAILABLE = 3;
  /** The results file or trace directory could not be written. */
  public static final int IO_ERROR = 4;
  /**
   * Stopped by Ctrl-C; finished prompts are kept. (A JVM stopped by SIGTERM exits with 143.)
   */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
