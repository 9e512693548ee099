package dev.tpo;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One prompt to optimize: the user's query, an optional system prompt and chat history for the
 * sampling request, an optional id, and per-request overrides of the {@link Tpo} defaults (the
 * mode, and any {@link TpoSettings}, laid over the {@code Tpo}'s with {@link
 * TpoSettings#overrideWith}). Unset overrides use the {@code Tpo}'s values.
 *
 * <p>The query is what the reward model scores against and what the loss quotes; the history (user
 * and assistant turns before it) only reaches the sampling request.
 *
 * <p>Immutable value; thread-safe. Build with {@link #of(String)} or {@link #builder(String)}.
 */
public final class TpoRequest {
  private final String prompt;
  private final String id;
  private final String systemPrompt;
  private final List<ChatMessage> history;
  private final TpoMode mode;
  private final TpoSettings settings;

  private TpoRequest(Builder b, TpoSettings settings) {
    this.prompt = b.prompt;
    this.id = b.id;
    this.systemPrompt = b.systemPrompt;
    this.history = List.copyOf(b.history);
    this.mode = b.mode;
    this.settings = settings;
  }

  /**
   * A request with only the query.
   *
   * @param prompt the user's query, not blank
   * @return the request
   * @throws ConfigurationException when the prompt is null, blank or not valid Unicode (an
   *     unpaired surrogate)
   */
  public static TpoRequest of(String prompt) {
    return builder(prompt).build();
  }

  /**
   * A builder for the query.
   *
   * @param prompt the user's query, not blank
   * @return a builder
   */
  public static Builder builder(String prompt) {
    return new Builder(prompt);
  }

  /**
   * A builder with this request's fields.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(prompt);
    b.id = id;
    b.systemPrompt = systemPrompt;
    b.history.addAll(history);
    b.mode = mode;
    b.settings.settings(settings);
    return b;
  }

  /** @return the user's query */
  public String prompt() {
    return prompt;
  }

  /** @return the caller's id for this request (used as the run id), if set */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** @return the system prompt of the sampling request, if set */
  public Optional<String> systemPrompt() {
    return Optional.ofNullable(systemPrompt);
  }

  /** @return the user and assistant turns before the query, possibly empty */
  public List<ChatMessage> history() {
    return history;
  }

  /** @return the mode override, if set */
  public Optional<TpoMode> mode() {
    return Optional.ofNullable(mode);
  }

  /** @return the settings this request overrides, the others unset ({@link TpoSettings#EMPTY}) */
  public TpoSettings settings() {
    return settings;
  }

  /**
   * The settings of this request's run: {@code defaults.overrideWith(settings())}.
   *
   * @param defaults the {@link Tpo}'s settings
   * @return the settings of this request's run
   * @throws ConfigurationException naming the field when the result is out of range
   */
  public TpoSettings resolve(TpoSettings defaults) {
    return defaults.overrideWith(settings);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TpoRequest)) {
      return false;
    }
    TpoRequest r = (TpoRequest) o;
    return prompt.equals(r.prompt) && Objects.equals(id, r.id)
        && Objects.equals(systemPrompt, r.systemPrompt) && history.equals(r.history)
        && Objects.equals(mode, r.mode) && settings.equals(r.settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prompt, id, systemPrompt, history, mode, settings);
  }

  @Override
  public String toString() {
    String p = prompt.length() > 60 ? prompt.substring(0, 57) + "..." : prompt;
    return "TpoRequest{id=" + id + ", prompt=" + p + ", history=" + history.size() + " messages"
        + (mode != null ? ", mode=" + mode.name() : "") + "}";
  }

  /** The index of the first unpaired UTF-16 surrogate of the text, or -1 when there is none. */
  private static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Builds a {@link TpoRequest}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final String prompt;
    private String id;
    private String systemPrompt;
    private final List<ChatMessage> history = new ArrayList<>();
    private TpoMode mode;
    private final TpoSettings.Builder settings = TpoSettings.builder();

    private Builder(String prompt) {
      this.prompt = prompt;
    }

    /**
     * An id of your choice, used as the run id in events and the result. Defaults to a generated
     * id.
     *
     * @param id the id, not blank
     * @return this builder
     */
    public Builder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * The system prompt of the sampling request. Defaults to the registry's {@link
     * dev.tpo.textgrad.prompt.PromptTemplates#SAMPLING_SYSTEM} sampling
     * system prompt.
     *
     * @param systemPrompt the prompt
     * @return this builder
     */
    public Builder systemPrompt(String systemPrompt) {
      this.systemPrompt = systemPrompt;
      return this;
    }

    /**
     * The user and assistant turns before the query, sent with the sampling request. Empty by
     * default.
     *
     * @param messages the turns, in order; no system messages (use {@link #systemPrompt})
     * @return this builder
     */
    public Builder history(List<ChatMessage> messages) {
      this.history.clear();
      this.history.addAll(Objects.requireNonNull(messages, "history"));
      return this;
    }

    /**
     * Overrides every setting that {@code settings} sets (for example a whole {@link TpoSettings}
     * read from a file or the command line); the others keep their values.
     *
     * @param settings the settings
     * @return this builder
     */
    public Builder settings(TpoSettings settings) {
      this.settings.settings(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * The mode of this run. Defaults to the {@link Tpo}'s mode.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(TpoMode mode) {
      this.mode = mode;
      return this;
    }

    /**
     * N for this run. Defaults to the {@link Tpo}'s.
     *
     * @param samples 1 to 256
     * @return this builder
     */
    public Builder samples(int samples) {
      settings.samples(samples);
      return this;
    }

    /**
     * D for this run. Defaults to the {@link Tpo}'s.
     *
     * @param iterations at least 0
     * @return this builder
     */
    public Builder iterations(int iterations) {
      settings.iterations(iterations);
      return this;
    }

    /**
     * The temperature for this run. Defaults to the {@link Tpo}'s.
     *
     * @param temperature 0 to 2
     * @return this builder
     */
    public Builder temperature(double temperature) {
      settings.temperature(temperature);
      return this;
    }

    /**
     * The top_p for this run. Defaults to the {@link Tpo}'s.
     *
     * @param topP greater than 0, at most 1
     * @return this builder
     */
    public Builder topP(double topP) {
      settings.topP(topP);
      return this;
    }

    /**
     * The seed for this run. Defaults to the {@link Tpo}'s.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      settings.seed(seed);
      return this;
    }

    /**
     * The per-response token limit for this run. Defaults to the {@link Tpo}'s.
     *
     * @param maxTokens at least 1
     * @return this builder
     */
    public Builder maxTokens(int maxTokens) {
      settings.maxTokens(maxTokens);
      return this;
    }

    /**
     * The token budget of this run. Defaults to the {@link Tpo}'s (none unless set there).
     *
     * @param tokenBudget at least 1
     * @return this builder
     */
    public Builder tokenBudget(long tokenBudget) {
      settings.tokenBudget(tokenBudget);
      return this;
    }

    /**
     * The wall-time limit of this run. Defaults to the {@link Tpo}'s (none unless set there).
     *
     * @param timeLimit positive
     * @return this builder
     */
    public Builder timeLimit(Duration timeLimit) {
      settings.timeLimit(timeLimit);
      return this;
    }

    /**
     * Validates and builds: the prompt must be non-blank, valid Unicode text. Ranges of the
     * overrides are checked again against the {@link Tpo}'s settings when the run starts.
     *
     * @return the request
     * @throws ConfigurationException naming the field and value when one is invalid
     */
    public TpoRequest build() {
      if (prompt == null || prompt.isBlank()) {
        throw new ConfigurationException(
            "TpoRequest.prompt is " + (prompt == null ? "null" : "blank")
                + ": give the user's query to optimize an answer for");
      }
      int bad = unpairedSurrogate(prompt);
      if (bad >= 0) {
        throw new ConfigurationException(String.format(java.util.Locale.ROOT,
            "TpoRequest.prompt is not valid Unicode: an unpaired surrogate \\u%04X at index %d"
                + " (text decoded from bytes that are not UTF-8?); decode the input as UTF-8,"
                + " which turns invalid bytes into U+FFFD, or remove the character",
            (int) prompt.charAt(bad), bad));
      }
      if (id != null && id.isBlank()) {
        throw new ConfigurationException("TpoRequest.id is blank: give a non-blank id or none");
      }
      for (int i = 0; i < history.size(); i++) {
        ChatMessage m = history.get(i);
        if (m == null || m.role() == ChatRole.SYSTEM) {
          throw new ConfigurationException(
              "TpoRequest.history[" + i + "] is " + (m == null ? "null" : "a system message")
                  + ": history holds user and assistant turns; set the system prompt with"
                  + " systemPrompt(...)");
        }
      }
      return new TpoRequest(this, settings.build());
    }
  }
}
