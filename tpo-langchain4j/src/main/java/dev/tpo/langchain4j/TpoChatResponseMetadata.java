package dev.tpo.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.tpo.TpoResult;
import java.util.Objects;

/**
 * The metadata of a {@link TpoChatModel} answer: langchain4j's own fields (the run id as {@code id},
 * the policy's model name, the token usage of the whole run, {@code LENGTH} when the chosen answer
 * was cut off) plus the TPO run behind it: {@link #score()} and the full {@link #result()}.
 *
 * <p>Immutable; thread-safe. {@code AiServices} users read it from {@code
 * Result.finalResponse().metadata()}; a cast to this type gives the TPO fields.
 */
public final class TpoChatResponseMetadata extends ChatResponseMetadata {
  private final TpoResult result;

  private TpoChatResponseMetadata(Builder builder) {
    super(builder);
    this.result = Objects.requireNonNull(builder.result, "result");
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The reward score of the answer (the best of the run's pool).
   *
   * @return the raw score
   */
  public double score() {
    return result.bestScore();
  }

  /**
   * Every token the run spent, by phase included; {@link #tokenUsage()} has the same totals in
   * langchain4j's type.
   *
   * @return the run's usage
   */
  public dev.tpo.core.model.TokenUsage tpoUsage() {
    return result.usage();
  }

  /**
   * The whole TPO run: pool, rounds, per-phase usage and time, stop reason, warnings.
   *
   * @return the result
   */
  public TpoResult result() {
    return result;
  }

  @Override
  public Builder toBuilder() {
    return ((Builder) toBuilder(new Builder())).result(result);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TpoChatResponseMetadata && super.equals(o)
        && result.equals(((TpoChatResponseMetadata) o).result);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + result.hashCode();
  }

  @Override
  public String toString() {
    return "TpoChatResponseMetadata{id=" + id() + ", modelName=" + modelName() + ", score="
        + score() + ", tokenUsage=" + tokenUsage() + ", finishReason=" + finishReason()
        + ", rounds=" + result.rounds().size() + ", stopReason=" + result.stopReason() + "}";
  }

  /** Builds {@link TpoChatResponseMetadata}. Not thread-safe. */
  public static final class Builder extends ChatResponseMetadata.Builder<Builder> {
    private TpoResult result;

    /** An empty builder; {@link #result(TpoResult)} is required. */
    public Builder() {}

    /**
     * The TPO run behind the answer. Required.
     *
     * @param result the result
     * @return this builder
     */
    public Builder result(TpoResult result) {
      this.result = result;
      return this;
    }

    @Override
    public TpoChatResponseMetadata build() {
      return new TpoChatResponseMetadata(this);
    }
  }
}
