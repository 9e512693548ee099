package dev.tpo;

import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The three modes of the paper. Immutable; thread-safe. */
enum BuiltInMode implements TpoMode {
  TPO(true, true, "the response to the user's query that the reward model currently prefers",
      List.of("Write only the improved response to the query itself.",
          "Do not write the rejected response, a comparison or any commentary.")),
  REVISION(true, false, "a model response to the user's query",
      List.of("Write only the improved model response to the query itself.")),
  BEST_OF_N(false, false, "a model response to the user's query", List.of());

  private final boolean refines;
  private final boolean usesRejected;
  private final String role;
  private final List<String> constraints;

  BuiltInMode(boolean refines, boolean usesRejected, String role, List<String> constraints) {
    this.refines = refines;
    this.usesRejected = usesRejected;
    this.role = role;
    this.constraints = constraints;
  }

  @Override
  public boolean refines() {
    return refines;
  }

  @Override
  public boolean usesRejected() {
    return usesRejected;
  }

  @Override
  public String responseRole() {
    return role;
  }

  @Override
  public List<String> constraints() {
    return constraints;
  }

  @Override
  public String lossInstruction(PromptTemplates prompts, String query, String rejected) {
    if (usesRejected) {
      return prompts.render(PromptTemplates.TPO_LOSS,
          Map.of("query", query, "rejected", Objects.requireNonNull(rejected, "rejected")));
    }
    return prompts.render(PromptTemplates.REVISION_LOSS, Map.of("query", query));
  }
}
