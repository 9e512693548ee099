package dev.tpo.textgrad.prompt;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.text.TokenCounter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a group of context texts (system prompts, inputs, outputs of forward calls) within a token
 * budget. When they fit they are returned unchanged; otherwise every text longer than a common cap
 * is cut to that cap (its beginning kept, followed by {@link #MARKER}), the cap being the largest
 * one that fits: short texts stay whole and the long ones share what is left. Only the contexts
 * passed in are shortened; callers never pass the variable being critiqued or optimized.
 *
 * <p>Immutable; thread-safe.
 */
public final class ContextBudget {
  /** Appended to every shortened text. */
  public static final String MARKER = "\n[... shortened to fit the context budget]";

  private final TokenCounter counter;
  private final int budgetTokens;

  /**
   * Creates a budget.
   *
   * @param counter counts and truncates tokens
   * @param budgetTokens the most tokens the texts may take together, at least 1
   * @throws ConfigurationException when the budget is below 1
   */
  public ContextBudget(TokenCounter counter, int budgetTokens) {
    this.counter = Objects.requireNonNull(counter, "counter");
    if (budgetTokens < 1) {
      throw new ConfigurationException(
          "context budget must be at least 1 token, got " + budgetTokens);
    }
    this.budgetTokens = budgetTokens;
  }

  /** @return the budget in tokens */
  public int budgetTokens() {
    return budgetTokens;
  }

  /** @return the token counter */
  public TokenCounter counter() {
    return counter;
  }

  /**
   * Fits the texts into the budget.
   *
   * @param texts the texts, in order
   * @return the texts in the same order, each unchanged or shortened
   */
  public List<String> fit(List<String> texts) {
    int[] counts = new int[texts.size()];
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = counter.count(texts.get(i));
      total += counts[i];
    }
    if (total <= budgetTokens) {
      return List.copyOf(texts);
    }
    int cap = cap(counts);
    List<String> out = new ArrayList<>(texts.size());
    for (int i = 0; i < counts.length; i++) {
      out.add(counts[i] > cap ? shorten(texts.get(i), cap) : texts.get(i));
    }
    return out;
  }

  /** The largest cap with sum(min(count, cap)) within the budget. */
  private int cap(int[] counts) {
    int[] sorted = counts.clone();
    Arrays.sort(sorted);
    long remaining = budgetTokens;
    int left = sorted.length;
    for (int c : sorted) {
      if ((long) c * left > remaining) {
        return (int) (remaining / left);
      }
      remaining -= c;
      left--;
    }
    return Integer.MAX_VALUE;
  }

  /**
   * Fits the texts into the budget around a variable shown in full elsewhere: a text equal to the
   * variable's value is replaced by {@code reference} (never shortened, and not counted), and the
   * others are fitted as by {@link #fit(List)}.
   *
   * @param texts the texts, in order
   * @param variableValue the variable's value
   * @param reference what stands in for a text equal to the value
   * @return the texts in the same order
   */
  public List<String> fitAround(List<String> texts, String variableValue, String reference) {
    List<Integer> others = new ArrayList<>();
    List<String> otherTexts = new ArrayList<>();
    List<String> out = new ArrayList<>(texts);
    for (int i = 0; i < texts.size(); i++) {
      if (!variableValue.isEmpty() && texts.get(i).equals(variableValue)) {
        out.set(i, reference);
      } else {
        others.add(i);
        otherTexts.add(texts.get(i));
      }
    }
    List<String> fitted = fit(otherTexts);
    for (int k = 0; k < others.size(); k++) {
      out.set(others.get(k), fitted.get(k));
    }
    return out;
  }

  private String shorten(String text, int cap) {
    int keep = Math.max(0, cap - counter.count(MARKER));
    return counter.truncate(text, keep) + MARKER;
  }
}
