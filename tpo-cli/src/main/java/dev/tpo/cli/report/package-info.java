/**
 * {@code tpo report}: one self-contained HTML file (inline CSS, JavaScript and SVG; nothing fetched
 * from the network) built from a results file and, optionally, the trace directory of a run; or,
 * from several results files, the comparison of those runs (prompts paired by id, wins, ties and
 * losses with a sign test and a bootstrap interval, per-round means, tokens and time).
 */
package dev.tpo.cli.report;
