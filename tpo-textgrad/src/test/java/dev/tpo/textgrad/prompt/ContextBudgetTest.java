package dev.tpo.textgrad.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.text.TokenCounter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextBudgetTest {
  private final TokenCounter counter = TokenCounter.approximate();

  @Test
  void textsThatFitAreUnchanged() {
    ContextBudget budget = new ContextBudget(counter, 100);
    assertThat(budget.fit(List.of("a".repeat(40), "b".repeat(40))))
        .containsExactly("a".repeat(40), "b".repeat(40));
  }

  @Test
  void longTextsShareTheBudgetAndShortOnesStayWhole() {
    ContextBudget budget = new ContextBudget(counter, 300);
    String shortText = "s".repeat(40);
    List<String> out = budget.fit(List.of("x".repeat(4000), shortText, "y".repeat(8000)));
    assertThat(out.get(1)).isEqualTo(shortText);
    assertThat(out.get(0)).startsWith("xxxx").endsWith(ContextBudget.MARKER);
    assertThat(out.get(2)).startsWith("yyyy").endsWith(ContextBudget.MARKER);
    int total = out.stream().mapToInt(counter::count).sum();
    assertThat(total).isLessThanOrEqualTo(300);
    assertThat(counter.count(out.get(0))).isEqualTo(counter.count(out.get(2)));
  }

  @Test
  void fitAroundReplacesTheVariableAndNeverShortensIt() {
    ContextBudget budget = new ContextBudget(counter, 50);
    String variable = "v".repeat(4000);
    List<String> out = budget.fitAround(List.of("ctx".repeat(400), variable), variable, "[REF]");
    assertThat(out.get(1)).isEqualTo("[REF]");
    assertThat(out.get(0)).endsWith(ContextBudget.MARKER);
    assertThat(counter.count(out.get(0))).isLessThanOrEqualTo(50);
  }
}
