/**
 * Progress of a {@code tpo run} on stderr (a live bar on a terminal, a line every few seconds
 * otherwise) and the summary printed at its end.
 */
package dev.tpo.cli.progress;
