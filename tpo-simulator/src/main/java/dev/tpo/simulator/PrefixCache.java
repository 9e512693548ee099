package dev.tpo.simulator;

import java.util.LinkedHashMap;

/**
 * A model of a serving engine's automatic prefix cache, as vLLM's: the prompt is cut into blocks
 * of {@value #BLOCK_TOKENS} tokens; each full block is named by a hash chained with the previous
 * block's hash, so a block matches only when everything before it matches too; a prompt is served
 * from the cache for its longest run of leading blocks already held, and its full blocks are then
 * held (the least recently used dropped once more than the capacity are held). At least the last
 * token of a prompt is always computed, as a server must to produce the first output token.
 *
 * <p>Tokens are four characters of text, as the simulator counts {@code prompt_tokens}; the text
 * of a chat request is its messages' contents joined with newlines ({@link ChatCall#allText()}).
 * A partial last block is not held, as in vLLM.
 *
 * <p>Thread-safe: every method is synchronized.
 */
public final class PrefixCache {
  /** Tokens per block, vLLM's default block size. */
  public static final int BLOCK_TOKENS = 16;
  /** Characters per simulated token. */
  public static final int CHARS_PER_TOKEN = 4;
  private static final int BLOCK_CHARS = BLOCK_TOKENS * CHARS_PER_TOKEN;

  private final int capacityBlocks;
  /** Block hashes in access order, least recently used first. */
  private final LinkedHashMap<Long, Boolean> blocks = new LinkedHashMap<>(256, 0.75f, true);
  private long promptTokens;
  private long cachedTokens;
  private long evictions;

  /**
   * A cache that holds at most the given number of blocks.
   *
   * @param capacityBlocks at least 1
   * @throws IllegalArgumentException when the capacity is below 1
   */
  public PrefixCache(int capacityBlocks) {
    if (capacityBlocks < 1) {
      throw new IllegalArgumentException("capacityBlocks must be at least 1, got "
          + capacityBlocks);
    }
    this.capacityBlocks = capacityBlocks;
  }

  /**
   * The tokens of a text, as the simulator counts them.
   *
   * @param text the text
   * @return {@code ceil(length / 4)}
   */
  public static long tokens(String text) {
    return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /**
   * Serves one prompt: how many of its leading tokens the cache holds, after which its full
   * blocks are held as most recently used.
   *
   * @param prompt the prompt's text
   * @return the tokens served from the cache, from 0 to the prompt's tokens minus 1
   */
  public synchronized long serve(String prompt) {
    long total = tokens(prompt);
    int full = prompt.length() / BLOCK_CHARS;
    long hash = 0x51ED_CAC4EL;
    boolean matching = true;
    long hits = 0;
    for (int b = 0; b < full; b++) {
      hash = chain(hash, prompt, b * BLOCK_CHARS);
      if (matching && blocks.get(hash) != null) { // get() marks it most recently used
        hits++;
      } else {
        matching = false;
        blocks.put(hash, Boolean.TRUE);
      }
    }
    while (blocks.size() > capacityBlocks) {
      Long eldest = blocks.keySet().iterator().next();
      blocks.remove(eldest);
      evictions++;
    }
    long cached = Math.max(0, Math.min(hits * BLOCK_TOKENS, total - 1));
    promptTokens += total;
    cachedTokens += cached;
    return cached;
  }

  /** @return the most blocks held */
  public int capacityBlocks() {
    return capacityBlocks;
  }

  /** @return the blocks held now */
  public synchronized int blocks() {
    return blocks.size();
  }

  /** @return the prompt tokens served since creation or the last {@link #resetCounters()} */
  public synchronized long promptTokens() {
    return promptTokens;
  }

  /** @return of those, the tokens served from the cache */
  public synchronized long cachedTokens() {
    return cachedTokens;
  }

  /** @return the blocks dropped to keep within the capacity */
  public synchronized long evictions() {
    return evictions;
  }

  /** Zeroes the counters; the blocks held stay. */
  public synchronized void resetCounters() {
    promptTokens = 0;
    cachedTokens = 0;
    evictions = 0;
  }

  /** Drops every block held and zeroes the counters. */
  public synchronized void clear() {
    blocks.clear();
    resetCounters();
  }

  /** The block's hash chained with its predecessor's: FNV-1a over its characters, then mixed. */
  private static long chain(long previous, String text, int from) {
    long h = 0xcbf29ce484222325L ^ previous;
    for (int i = from; i < from + BLOCK_CHARS; i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return ChatResponder.mix(h ^ Long.rotateLeft(previous, 17));
  }

  @Override
  public synchronized String toString() {
    return "PrefixCache{" + blocks.size() + "/" + capacityBlocks + " blocks, " + cachedTokens + "/"
        + promptTokens + " tokens cached}";
  }
}
