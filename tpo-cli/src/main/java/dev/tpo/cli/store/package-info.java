/**
 * The append-only JSON Lines results file of a {@code tpo run}: one line per prompt, each written
 * with a single write and flushed as the prompt finishes, so a killed run leaves at most a partial
 * last line, which the next run detects, cuts off and redoes.
 */
package dev.tpo.cli.store;
