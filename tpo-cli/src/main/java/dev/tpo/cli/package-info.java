/**
 * The {@code tpo} command-line tool: {@code tpo run} optimizes every prompt of a data file against
 * an OpenAI-compatible policy server and a reward scorer, resumably, with progress on stderr;
 * {@code tpo report} turns the results into one self-contained HTML file.
 */
package dev.tpo.cli;
