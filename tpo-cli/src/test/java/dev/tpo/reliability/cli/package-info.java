/**
 * The reliability suite at the level of the {@code tpo} command: bad options and data files,
 * unwritable outputs, results-file durability across killed runs, faults of the servers, and the
 * API key kept out of every output. In-process tests run the real command line against the
 * simulated server; {@code *IT} tests run the packaged {@code target/tpo.jar} as a process.
 */
package dev.tpo.reliability.cli;
