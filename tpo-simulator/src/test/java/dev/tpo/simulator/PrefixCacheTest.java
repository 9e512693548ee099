package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The prefix-cache model: chained block hashes, the longest cached run of blocks, LRU. */
class PrefixCacheTest {
  /** One block: 16 tokens of 4 characters. */
  private static String block(char c) {
    return String.valueOf(c).repeat(PrefixCache.BLOCK_TOKENS * PrefixCache.CHARS_PER_TOKEN);
  }

  @Test
  void aRepeatedPromptIsServedFromCacheExceptItsLastTokenAndItsPartialBlock() {
    PrefixCache cache = new PrefixCache(100);
    String prompt = block('a') + block('b') + block('c') + "tail";
    assertThat(cache.serve(prompt)).isZero();
    assertThat(cache.blocks()).isEqualTo(3);
    assertThat(cache.serve(prompt)).isEqualTo(48); // three full blocks; the tail is computed
    String exact = block('a') + block('b');
    assertThat(cache.serve(exact)).isEqualTo(31); // the last token is always computed
    assertThat(cache.promptTokens()).isEqualTo(49 + 49 + 32);
    assertThat(cache.cachedTokens()).isEqualTo(48 + 31);
  }

  @Test
  void aBlockMatchesOnlyAfterTheSameBlocksBeforeIt() {
    PrefixCache cache = new PrefixCache(100);
    cache.serve(block('a') + block('b') + block('c') + "x");
    // same second and third blocks after another first block: nothing matches
    assertThat(cache.serve(block('z') + block('b') + block('c') + "x")).isZero();
    // a prompt that diverges in its third block shares its first two
    assertThat(cache.serve(block('a') + block('b') + block('d') + "x")).isEqualTo(32);
    // a change inside the first block breaks the whole chain
    String changed = "Q" + block('a').substring(1) + block('b') + "x";
    assertThat(cache.serve(changed)).isZero();
  }

  @Test
  void leastRecentlyUsedBlocksAreDroppedAtCapacity() {
    PrefixCache cache = new PrefixCache(4);
    String first = block('a') + block('b') + "x";
    String second = block('c') + block('d') + "x";
    cache.serve(first);
    cache.serve(second);
    assertThat(cache.blocks()).isEqualTo(4);
    assertThat(cache.serve(first)).isEqualTo(32); // touches a and b: c and d are now oldest
    cache.serve(block('e') + block('f') + "x"); // evicts c and d
    assertThat(cache.evictions()).isEqualTo(2);
    assertThat(cache.blocks()).isEqualTo(4);
    assertThat(cache.serve(first)).isEqualTo(32);
    assertThat(cache.serve(second)).isZero();
  }

  @Test
  void shortPromptsAndCountersAndBadCapacity() {
    PrefixCache cache = new PrefixCache(1);
    assertThat(cache.serve("")).isZero();
    assertThat(cache.serve("short")).isZero();
    assertThat(cache.blocks()).isZero();
    assertThat(PrefixCache.tokens("short")).isEqualTo(2);
    cache.resetCounters();
    assertThat(cache.promptTokens()).isZero();
    assertThatThrownBy(() -> new PrefixCache(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacityBlocks");
  }
}
