package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolTest {

  private static TpoLoop.Scored c(String text, double score) {
    return new TpoLoop.Scored(text, score, false);
  }

  @Test
  void bestAndWorstAreOverTheWholePoolWithTiesToTheEarliest() {
    TpoLoop.Pool pool = new TpoLoop.Pool();
    pool.addRound(0, List.of(c("a", 1), c("b", 3), c("c", 1)));
    pool.addRound(1, List.of(c("d", 3), c("e", 0.5)));
    assertThat(pool.best().text()).isEqualTo("b");
    assertThat(pool.worst().text()).isEqualTo("e");
    pool.addRound(2, List.of(c("f", 0.5), c("g", 4)));
    assertThat(pool.best().text()).isEqualTo("g");
    assertThat(pool.worst().text()).isEqualTo("e");
  }

  @Test
  void identicalTextsAreKeptOncePerRoundAndAgainInLaterRounds() {
    TpoLoop.Pool pool = new TpoLoop.Pool();
    List<PoolEntry> first = pool.addRound(0, List.of(c("x|y", 1), c("x|y", 2), c("x", 1)));
    List<PoolEntry> second = pool.addRound(1, List.of(c("x|y", 5)));
    assertThat(first).extracting(PoolEntry::text).containsExactly("x|y", "x");
    assertThat(first.get(0).score()).isEqualTo(1.0);
    assertThat(second).extracting(PoolEntry::index).containsExactly(2);
    assertThat(pool.entries()).extracting(PoolEntry::round).containsExactly(0, 0, 1);
  }

  @Test
  void textsThatWouldCollideWhenJoinedStayApart() {
    TpoLoop.Pool pool = new TpoLoop.Pool();
    pool.addRound(0, List.of(c("a\u0000b", 1), c("a", 2), c("b", 3), c("a\u0000", 4)));
    assertThat(pool.size()).isEqualTo(4);
  }

  @Test
  void anEmptyPoolHasNoBest() {
    assertThatThrownBy(() -> new TpoLoop.Pool().best()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("empty");
  }
}
