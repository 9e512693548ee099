/**
 * {@code tpo report}: one self-contained HTML file (inline CSS, JavaScript and SVG; nothing fetched
 * from the network) built from a results file and, optionally, the trace directory of a run.
 */
package dev.tpo.cli.report;
