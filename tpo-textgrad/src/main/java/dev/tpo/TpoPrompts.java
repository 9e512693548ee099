package dev.tpo;

import dev.tpo.loop.TemplateRenderer;
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
 * inserted verbatim, whatever braces, tags or separators they contain.
 *
 * <p>Immutable value; thread-safe.
 */
public final class TpoPrompts {
  private static final TpoPrompts DEFAULTS = new Builder(
      TemplateRenderer.load("sampling-system.txt"),
      TemplateRenderer.load("tpo-loss.txt"),
      TemplateRenderer.load("revision-loss.txt")).build();

  private final String samplingSystem;
  private final String tpoLoss;
  private final String revisionLoss;

  private TpoPrompts(Builder b) {
    this.samplingSystem = b.samplingSystem;
    this.tpoLoss = b.tpoLoss;
    this.revisionLoss = b.revisionLoss;
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
    return new Builder(samplingSystem, tpoLoss, revisionLoss);
  }

  /** @return the system prompt of the sampling request (no placeholders) */
  public String samplingSystem() {
    return samplingSystem;
  }

  /** @return the TPO loss template, with {@code {{query}}} and {@code {{rejected}}} */
  public String tpoLoss() {
    return tpoLoss;
  }

  /** @return the revision loss template, with {@code {{query}}} */
  public String revisionLoss() {
    return revisionLoss;
  }

  /**
   * Renders the TPO loss instruction.
   *
   * @param query the user's query
   * @param rejected the rejected response, already cut to the prompt budget
   * @return the instruction
   */
  public String renderTpoLoss(String query, String rejected) {
    return TemplateRenderer.render(tpoLoss, Map.of("query", query, "rejected", rejected));
  }

  /**
   * Renders the revision loss instruction.
   *
   * @param query the user's query
   * @return the instruction
   */
  public String renderRevisionLoss(String query) {
    return TemplateRenderer.render(revisionLoss, Map.of("query", query));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TpoPrompts
        && samplingSystem.equals(((TpoPrompts) o).samplingSystem)
        && tpoLoss.equals(((TpoPrompts) o).tpoLoss)
        && revisionLoss.equals(((TpoPrompts) o).revisionLoss);
  }

  @Override
  public int hashCode() {
    return Objects.hash(samplingSystem, tpoLoss, revisionLoss);
  }

  @Override
  public String toString() {
    return "TpoPrompts{samplingSystem=" + samplingSystem.length() + " chars, tpoLoss="
        + tpoLoss.length() + " chars, revisionLoss=" + revisionLoss.length() + " chars}";
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
      TemplateRenderer.requireExactly("samplingSystem", samplingSystem, List.of());
      TemplateRenderer.requireExactly("tpoLoss", tpoLoss, List.of("query", "rejected"));
      TemplateRenderer.requireExactly("revisionLoss", revisionLoss, List.of("query"));
      return new TpoPrompts(this);
    }
  }
}
