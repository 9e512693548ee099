/**
 * Example: many prompts at once with {@link dev.tpo.Tpo#optimizeAll(java.util.List, int)}, each
 * outcome a result or its own failure.
 */
package dev.tpo.examples.batch;
