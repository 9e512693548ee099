package dev.tpo.cli.progress;

/** How progress is shown on stderr. Thread-safe. */
public enum ProgressStyle {
  /** A bar redrawn in place when a terminal is attached, else {@link #LOG}. */
  AUTO,
  /** A bar redrawn in place several times a second. */
  BAR,
  /** A plain line every few seconds, for logs and CI. */
  LOG,
  /** Nothing until the summary. */
  OFF
}
