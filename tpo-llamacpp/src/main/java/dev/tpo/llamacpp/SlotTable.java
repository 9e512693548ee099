package dev.tpo.llamacpp;

import java.util.Arrays;

/**
 * Which llama.cpp slots are free, and the prompt each slot last kept in its KV cache. A sequence
 * takes the free slot whose cached prompt shares the longest prefix with its own (the least
 * recently used one on a tie), which is what {@code cache_prompt} can reuse: llama.cpp keeps the
 * common prefix and evaluates the rest, always at least one token. Thread-safe (all methods
 * synchronized); {@link #acquire} blocks while every slot is busy.
 */
final class SlotTable {
  private final boolean[] busy;
  private final int[][] cached;
  private final long[] lastUsed;
  private long clock;

  SlotTable(int slots) {
    busy = new boolean[slots];
    cached = new int[slots][];
    lastUsed = new long[slots];
    Arrays.fill(cached, new int[0]);
  }

  /** A slot held by one sequence, with the prompt tokens its cache can serve. */
  record Lease(int slot, long reusable) {}

  synchronized Lease acquire(int[] prompt) {
    while (true) {
      int best = -1;
      int bestPrefix = -1;
      for (int i = 0; i < busy.length; i++) {
        if (busy[i]) {
          continue;
        }
        int prefix = commonPrefix(cached[i], prompt);
        if (prefix > bestPrefix || (prefix == bestPrefix && lastUsed[i] < lastUsed[best])) {
          best = i;
          bestPrefix = prefix;
        }
      }
      if (best >= 0) {
        busy[best] = true;
        lastUsed[best] = ++clock;
        long reusable = Math.max(0, Math.min(bestPrefix, prompt.length - 1));
        return new Lease(best, reusable);
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a llama.cpp slot", e);
      }
    }
  }

  /**
   * Frees the slot.
   *
   * @param lease the lease
   * @param prompt the prompt now cached in the slot, or null when unknown (a cancelled sequence)
   */
  synchronized void release(Lease lease, int[] prompt) {
    busy[lease.slot()] = false;
    cached[lease.slot()] = prompt == null ? new int[0] : prompt;
    notifyAll();
  }

  static int commonPrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length);
    int i = 0;
    while (i < n && a[i] == b[i]) {
      i++;
    }
    return i;
  }
}
