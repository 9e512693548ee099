package dev.tpo;

import dev.tpo.textgrad.prompt.PromptTemplate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The prompt templates of the TPO loop: the system prompt of the sampling request and the loss
 * instructions of the TPO and revision modes. The gradient and update prompts are the TextGrad
 * engine's. Defaults ship as resources under {@code dev/tpo/prompts/}; override any of them with
 * {@link #toBuilder()}.
 *
 * <p>Placeholders are written {@code {{name}}} and filled in one pass: the query and responses are
 * inserted verbatim, whatever braces, tags or separators they contain. They are rendered by the
 * engine's {@link PromptTemplate}, the one renderer of every prompt.
 *
 * <p>Immutable value; thread-safe.
 */
public final class TpoPrompts {
  private static final String RESOURCE_DIR = "/dev/tpo/prompts/";
  private static final String SAMPLING_SYSTEM = "samplingSystem";
  private static final String TPO_LOSS = "tpoLoss";
  private static final String REVISION_LOSS = "revisionLoss";
  private static final TpoPrompts DEFAULTS = new Builder(
      shipped(SAMPLING_SYSTEM, "sampling-system.txt"),
      shipped(TPO_LOSS, "tpo-loss.txt"),
      shipped(REVISION_LOSS, "revision-loss.txt")).build();

  private final String samplingSystem;
  private final PromptTemplate tpoLoss;
  private final PromptTemplate revisionLoss;

  private TpoPrompts(String samplingSystem, PromptTemplate tpoLoss, PromptTemplate revisionLoss) {
    this.samplingSystem = samplingSystem;
    this.tpoLoss = tpoLoss;
    this.revisionLoss = revisionLoss;
  }

  private static String shipped(String name, String file) {
    return PromptTemplate.fromResource(name, RESOURCE_DIR + file).text();
  }

  /**
   * The shipped templates.
   *
   * @return the defaults
   */
  public static TpoPrompts defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from these templates.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return new Builder(samplingSystem, tpoLoss.text(), revisionLoss.text());
  }

  /** @return the system prompt of the sampling request (no placeholders) */
  public String samplingSystem() {
    return samplingSystem;
  }

  /** @return the TPO loss template, with {@code {{query}}} and {@code {{rejected}}} */
  public String tpoLoss() {
    return tpoLoss.text();
  }

  /** @return the revision loss template, with {@code {{query}}} */
  public String revisionLoss() {
    return revisionLoss.text();
  }

  /**
   * Renders the TPO loss instruction.
   *
   * @param query the user's query
   * @param rejected the rejected response, already cut to the prompt budget
   * @return the instruction
   */
  public String renderTpoLoss(String query, String rejected) {
    return tpoLoss.render(Map.of("query", query, "rejected", rejected));
  }

  /**
   * Renders the revision loss instruction.
   *
   * @param query the user's query
   * @return the instruction
   */
  public String renderRevisionLoss(String query) {
    return revisionLoss.render(Map.of("query", query));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TpoPrompts
        && samplingSystem.equals(((TpoPrompts) o).samplingSystem)
        && tpoLoss.text().equals(((TpoPrompts) o).tpoLoss.text())
        && revisionLoss.text().equals(((TpoPrompts) o).revisionLoss.text());
  }

  @Override
  public int hashCode() {
    return Objects.hash(samplingSystem, tpoLoss.text(), revisionLoss.text());
  }

  @Override
  public String toString() {
    return "TpoPrompts{samplingSystem=" + samplingSystem.length() + " chars, tpoLoss="
        + tpoLoss.text().length() + " chars, revisionLoss=" + revisionLoss.text().length()
        + " chars}";
  }

  /** Builds {@link TpoPrompts}; {@link #build()} checks the placeholders. Not thread-safe. */
  public static final class Builder {
    private String samplingSystem;
    private String tpoLoss;
    private String revisionLoss;

    private Builder(String samplingSystem, String tpoLoss, String revisionLoss) {
      this.samplingSystem = samplingSystem;
      this.tpoLoss = tpoLoss;
      this.revisionLoss = revisionLoss;
    }

    /**
     * The system prompt of the sampling request, used when a request brings none. Defaults to a
     * generic helpful-assistant prompt.
     *
     * @param text the prompt, no placeholders
     * @return this builder
     */
    public Builder samplingSystem(String text) {
      this.samplingSystem = Objects.requireNonNull(text, "samplingSystem");
      return this;
    }

    /**
     * The TPO loss instruction. Must use {@code {{query}}} and {@code {{rejected}}} and nothing
     * else. Defaults to the shipped {@code tpo-loss.txt}.
     *
     * @param template the template
     * @return this builder
     */
    public Builder tpoLoss(String template) {
      this.tpoLoss = Objects.requireNonNull(template, "tpoLoss");
      return this;
    }

    /**
     * The revision loss instruction. Must use {@code {{query}}} and nothing else. Defaults to the
     * shipped {@code revision-loss.txt}.
     *
     * @param template the template
     * @return this builder
     */
    public Builder revisionLoss(String template) {
      this.revisionLoss = Objects.requireNonNull(template, "revisionLoss");
      return this;
    }

    /**
     * Checks the placeholders and builds.
     *
     * @return the templates
     * @throws dev.tpo.core.error.ConfigurationException naming the template and the placeholder
     */
    public TpoPrompts build() {
      PromptTemplate.of(SAMPLING_SYSTEM, samplingSystem).requireExactly(List.of());
      return new TpoPrompts(samplingSystem,
          PromptTemplate.of(TPO_LOSS, tpoLoss).requireExactly(List.of("query", "rejected")),
          PromptTemplate.of(REVISION_LOSS, revisionLoss).requireExactly(List.of("query")));
    }
  }
}
