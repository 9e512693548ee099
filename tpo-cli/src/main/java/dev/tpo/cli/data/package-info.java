/**
 * Loading the prompts of a {@code tpo run}: a JSON array of strings (the reference's format) or
 * JSON Lines of objects with {@code id} and {@code prompt} (or {@code instruction}), with stable ids
 * for prompts that have none and errors that name the file and line.
 */
package dev.tpo.cli.data;
