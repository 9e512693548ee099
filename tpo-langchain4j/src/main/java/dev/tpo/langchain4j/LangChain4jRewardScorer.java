package dev.tpo.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Any langchain4j {@link ScoringModel} as a TPO {@link RewardScorer}: in-process ONNX
 * cross-encoders ({@code OnnxScoringModel}), hosted rerankers (Cohere, Jina, Voyage, Vertex AI).
 * The prompt is the scoring query and each response a segment; the model's relevance scores are the
 * rewards (higher is better), so a reranker ranks TPO's candidates by how well they answer the
 * prompt.
 *
 * <p>Thread-safe if the {@code ScoringModel} is (langchain4j's are); create one and share it.
 */
public final class LangChain4jRewardScorer implements RewardScorer {
  private final ScoringModel model;
  private final String name;

  private LangChain4jRewardScorer(ScoringModel model, String name) {
    this.model = model;
    this.name = name;
  }

  /**
   * Wraps a scoring model; its name is its class's simple name.
   *
   * @param model the langchain4j scoring model
   * @return the scorer
   */
  public static LangChain4jRewardScorer of(ScoringModel model) {
    return of(model, model == null ? "" : model.getClass().getSimpleName());
  }

  /**
   * Wraps a scoring model under a name.
   *
   * @param model the langchain4j scoring model
   * @param name the name for results, events and messages (never a credential)
   * @return the scorer
   * @throws ConfigurationException when the model is null or the name blank
   */
  public static LangChain4jRewardScorer of(ScoringModel model, String name) {
    if (model == null) {
      throw new ConfigurationException("LangChain4jRewardScorer.of(model): model is null; pass a"
          + " langchain4j ScoringModel, e.g. new OnnxScoringModel(modelPath, tokenizerPath)");
    }
    if (name == null || name.isBlank()) {
      throw new ConfigurationException("LangChain4jRewardScorer name is blank; give a short name");
    }
    return new LangChain4jRewardScorer(model, name);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The usage is always {@link ScoredBatch#of zero}: a reranker's own token counts are not
   * language-model tokens and do not count against a run's token budget.
   */
  @Override
  public ScoredBatch scoreAll(String prompt, List<String> responses) {
    Objects.requireNonNull(prompt, "prompt");
    if (responses.isEmpty()) {
      return ScoredBatch.of(List.of());
    }
    List<TextSegment> segments = new ArrayList<>(responses.size());
    responses.forEach(r -> segments.add(TextSegment.from(r)));
    Response<List<Double>> response;
    try {
      response = model.scoreAll(segments, prompt);
    } catch (RuntimeException e) {
      if (e instanceof TpoException) {
        throw e;
      }
      TpoException translated = LangChain4jFailures.translate(name, e);
      if (translated.isRetryable()) {
        throw translated;
      }
      throw new RewardScoringException("langchain4j scoring model '" + name + "' failed with "
          + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
    if (response == null || response.content() == null) {
      throw new RewardScoringException("langchain4j scoring model '" + name + "' returned no"
          + " scores for " + responses.size() + " responses");
    }
    return ScoredBatch.of(response.content());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "LangChain4jRewardScorer{name=" + name + "}";
  }
}
