package dev.tpo;

import java.util.Objects;

/**
 * One scored candidate of a run's pool. The pool keeps the full text, even when a shorter cut of it
 * entered the prompts.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param index the entry's position in the pool, from 0, in the order entries were added
 * @param round the round that produced it: 0 for the initial samples, then 1..D
 * @param text the full response text
 * @param score the reward model's raw score
 * @param truncated whether the model stopped at its token limit, so the text may be incomplete
 */
public record PoolEntry(int index, int round, String text, double score, boolean truncated) {

  /**
   * Validates the fields.
   *
   * @param index the entry's position in the pool, from 0, in the order entries were added
   * @param round the round that produced it: 0 for the initial samples, then 1..D
   * @param text the full response text
   * @param score the reward model's raw score
   * @param truncated whether the model stopped at its token limit, so the text may be incomplete
   */
  public PoolEntry {
    if (index < 0) {
      throw new IllegalArgumentException("PoolEntry.index must be >= 0, got " + index);
    }
    if (round < 0) {
      throw new IllegalArgumentException("PoolEntry.round must be >= 0, got " + round);
    }
    Objects.requireNonNull(text, "text");
  }
}
