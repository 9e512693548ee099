package dev.tpo.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCounterTest {
  private final TokenCounter counter = TokenCounter.approximate();

  @Test
  void countsFourCharactersPerToken() {
    assertThat(counter.count("")).isZero();
    assertThat(counter.count("abcd")).isEqualTo(1);
    assertThat(counter.count("abcde")).isEqualTo(2);
  }

  @Test
  void truncatesToTheBudgetKeepingTheBeginning() {
    assertThat(counter.truncate("abcdefgh", 1)).isEqualTo("abcd");
    assertThat(counter.truncate("abc", 10)).isEqualTo("abc");
    assertThat(counter.truncate("abc", 0)).isEmpty();
  }

  @Test
  void neverSplitsASurrogatePair() {
    String text = "abc\uD83C\uDF0Dxyz"; // "abc🌍xyz": the emoji straddles char 4
    String cut = counter.truncate(text, 1);
    assertThat(cut).isEqualTo("abc");
  }
}
