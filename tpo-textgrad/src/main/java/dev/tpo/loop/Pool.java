package dev.tpo.loop;

import dev.tpo.PoolEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cumulative pool of one run: every scored candidate of every round, each a {@link PoolEntry}
 * kept by structure (never as a joined string). Identical texts within one round are kept once; a
 * text produced again in a later round is a new entry. Best and worst are taken over the whole
 * pool; ties go to the earliest entry.
 *
 * <p>Not thread-safe: one pool belongs to one run.
 */
public final class Pool {
  private final List<PoolEntry> entries = new ArrayList<>();

  /**
   * One candidate to add.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param text the full text
   * @param score its score
   * @param truncated whether it was cut off at the token limit
   */
  public record Candidate(String text, double score, boolean truncated) {}

  /**
   * Adds a round's candidates, skipping texts already added in the same round.
   *
   * @param round the round
   * @param candidates the candidates, in order
   * @return the entries added, in order
   */
  public List<PoolEntry> addRound(int round, List<Candidate> candidates) {
    Set<String> seenThisRound = new HashSet<>();
    for (PoolEntry e : entries) {
      if (e.round() == round) {
        seenThisRound.add(e.text());
      }
    }
    List<PoolEntry> added = new ArrayList<>();
    for (Candidate c : candidates) {
      if (seenThisRound.add(c.text())) {
        PoolEntry e = new PoolEntry(entries.size(), round, c.text(), c.score(), c.truncated());
        entries.add(e);
        added.add(e);
      }
    }
    return added;
  }

  /**
   * The best entry: the highest score, the earliest on ties.
   *
   * @return the entry
   * @throws IllegalStateException when the pool is empty
   */
  public PoolEntry best() {
    requireNotEmpty();
    PoolEntry best = entries.get(0);
    for (PoolEntry e : entries) {
      if (e.score() > best.score()) {
        best = e;
      }
    }
    return best;
  }

  /**
   * The worst entry: the lowest score, the earliest on ties.
   *
   * @return the entry
   * @throws IllegalStateException when the pool is empty
   */
  public PoolEntry worst() {
    requireNotEmpty();
    PoolEntry worst = entries.get(0);
    for (PoolEntry e : entries) {
      if (e.score() < worst.score()) {
        worst = e;
      }
    }
    return worst;
  }

  /** @return every entry, in the order added (an immutable snapshot) */
  public List<PoolEntry> entries() {
    return List.copyOf(entries);
  }

  /** @return the number of entries */
  public int size() {
    return entries.size();
  }

  private void requireNotEmpty() {
    if (entries.isEmpty()) {
      throw new IllegalStateException("the pool is empty: no candidate has been scored yet");
    }
  }
}
