package dev.tpo.adapter.reward;

import dev.tpo.textgrad.prompt.PromptTemplate;
import java.util.List;

/**
 * The judge's prompt templates, kept as data under {@code dev/tpo/adapter/reward/prompts/} and
 * rendered by the project's one renderer, {@link PromptTemplate}: {@code {{name}}} placeholders
 * replaced in one pass, so text inserted for one placeholder (a response that contains {@code
 * {{max}}}) is never rendered again. Each template is checked at class initialisation to use
 * exactly the placeholders {@link JudgeRewardScorer} fills. Stateless; thread-safe.
 */
final class JudgePrompts {
  private static final String DIR = "/dev/tpo/adapter/reward/prompts/";

  static final PromptTemplate SYSTEM = load("judge-system", "max", "rubric");
  static final PromptTemplate USER = load("judge-user", "prompt", "response", "format");
  static final PromptTemplate FORMAT_TAGGED = load("judge-format-tagged", "max");
  static final PromptTemplate FORMAT_JSON = load("judge-format-json", "max");
  static final PromptTemplate RETRY = load("judge-retry", "max");
  static final String DEFAULT_RUBRIC = load("judge-rubric").text();

  private JudgePrompts() {}

  private static PromptTemplate load(String name, String... placeholders) {
    return PromptTemplate.fromResource(name, DIR + name + ".txt")
        .requireExactly(List.of(placeholders));
  }
}
