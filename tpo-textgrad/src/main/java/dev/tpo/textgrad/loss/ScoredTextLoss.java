package dev.tpo.textgrad.loss;

import dev.tpo.core.autograd.TextLoss;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link LlmTextLoss} that also asks for a numeric score, as TextGrad's tag-parsed evaluations:
 * the instruction is followed by the {@value PromptTemplates#LOSS_SCORE_INSTRUCTION} template,
 * which asks for {@code <SCORE>number</SCORE>} on a line of its own; {@link #evaluateScored}
 * returns the loss with the last score found. The evaluation text, score included, is the loss
 * value that backward critiques against.
 *
 * <p>Immutable; thread-safe.
 */
public final class ScoredTextLoss implements TextLoss {
  private static final Pattern SCORE =
      Pattern.compile("<SCORE>\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*</SCORE>");

  private final LlmTextLoss loss;
  private final double minScore;
  private final double maxScore;

  private ScoredTextLoss(LlmTextLoss loss, double minScore, double maxScore) {
    this.loss = loss;
    this.minScore = minScore;
    this.maxScore = maxScore;
  }

  /**
   * A scored variant of a loss.
   *
   * @param loss the evaluation (instruction, model, sampling)
   * @param minScore the lowest score the model may give
   * @param maxScore the highest score, greater than {@code minScore}
   * @return the scored loss
   * @throws ConfigurationException when the range is empty or not finite
   */
  public static ScoredTextLoss of(LlmTextLoss loss, double minScore, double maxScore) {
    Objects.requireNonNull(loss, "loss");
    if (!Double.isFinite(minScore) || !Double.isFinite(maxScore) || minScore >= maxScore) {
      throw new ConfigurationException("ScoredTextLoss needs finite minScore < maxScore, got "
          + minScore + " and " + maxScore);
    }
    return new ScoredTextLoss(loss, minScore, maxScore);
  }

  /**
   * The system prompt sent: the instruction followed by the rendered score instruction.
   *
   * @return the system prompt
   */
  public String systemPrompt() {
    String scoreInstruction = loss.engine().templates().render(
        PromptTemplates.LOSS_SCORE_INSTRUCTION,
        Map.of("min_score", format(minScore), "max_score", format(maxScore)));
    return loss.instruction() + "\n\n" + scoreInstruction;
  }

  /**
   * Evaluates and parses the score.
   *
   * @param variables the variables under evaluation
   * @return the loss and its score
   */
  public ScoredLoss evaluateScored(List<Variable> variables) {
    Variable l = loss.evaluateWithSystemPrompt(systemPrompt(), variables);
    return new ScoredLoss(l, parseScore(l.value()));
  }

  /**
   * Evaluates one variable and parses the score.
   *
   * @param variable the variable under evaluation
   * @return the loss and its score
   */
  public ScoredLoss evaluateScored(Variable variable) {
    return evaluateScored(List.of(variable));
  }

  @Override
  public Variable evaluate(List<Variable> variables) {
    return evaluateScored(variables).loss();
  }

  /**
   * The number in the last {@code <SCORE>...</SCORE>} of a text.
   *
   * @param text the evaluation
   * @return the score, empty when there is none
   */
  public static OptionalDouble parseScore(String text) {
    Matcher m = SCORE.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return last == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(last));
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
