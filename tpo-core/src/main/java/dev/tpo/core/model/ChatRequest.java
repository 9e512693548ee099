package dev.tpo.core.model;

import dev.tpo.core.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One chat-completion request: the conversation, how many choices to generate and every sampling
 * setting. Settings left unset are not sent, so the server's default applies; the TPO loop sets all
 * of them explicitly (servers such as vLLM otherwise apply the model's own generation defaults).
 *
 * <p>Server-specific fields ({@code top_k}, {@code min_p}, {@code repetition_penalty}, ...) go into
 * {@link #extraBody()} and are sent verbatim.
 *
 * <p>Immutable value; thread-safe. Build with {@link #builder()}.
 */
public final class ChatRequest {
  /** Upper bound for {@link #n()}; no known server serves more in one request. */
  public static final int MAX_N = 256;

  private final List<ChatMessage> messages;
  private final int n;
  private final Double temperature;
  private final Double topP;
  private final Integer maxTokens;
  private final Long seed;
  private final List<String> stop;
  private final Map<String, Object> extraBody;
  private final Map<Class<?>, Object> tags;

  private ChatRequest(Builder b) {
    this.messages = List.copyOf(b.messages);
    this.n = b.n;
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.maxTokens = b.maxTokens;
    this.seed = b.seed;
    this.stop = List.copyOf(b.stop);
    this.extraBody = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraBody));
    this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
  }

  /**
   * A new builder.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder initialised with this request's fields.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.messages.addAll(messages);
    b.n = n;
    b.temperature = temperature;
    b.topP = topP;
    b.maxTokens = maxTokens;
    b.seed = seed;
    b.stop.addAll(stop);
    b.extraBody.putAll(extraBody);
    b.tags.putAll(tags);
    return b;
  }

  /** @return the conversation, at least one message */
  public List<ChatMessage> messages() {
    return messages;
  }

  /** @return how many choices to generate, 1 to {@value #MAX_N} */
  public int n() {
    return n;
  }

  /** @return the sampling temperature, if set */
  public Optional<Double> temperature() {
    return Optional.ofNullable(temperature);
  }

  /** @return the nucleus-sampling mass, if set */
  public Optional<Double> topP() {
    return Optional.ofNullable(topP);
  }

  /** @return the most tokens per choice, if set */
  public Optional<Integer> maxTokens() {
    return Optional.ofNullable(maxTokens);
  }

  /** @return the sampling seed, if set */
  public Optional<Long> seed() {
    return Optional.ofNullable(seed);
  }

  /** @return the stop sequences, possibly empty */
  public List<String> stop() {
    return stop;
  }

  /** @return server-specific body fields, sent verbatim, in insertion order */
  public Map<String, Object> extraBody() {
    return extraBody;
  }

  /**
   * The tag attached under a type, as OkHttp's {@code Request.tag(Class)}: metadata for
   * {@link ModelInterceptor}s (for example the {@link dev.tpo.core.call.CallTag} with the phase and round a TPO run
   * sent the request in), never sent to the server and not part of {@link #equals}.
   *
   * @param type the tag's type
   * @param <T> the tag's type
   * @return the tag, if one was attached under that type
   */
  public <T> Optional<T> tag(Class<T> type) {
    return Optional.ofNullable(type.cast(tags.get(type)));
  }

  /**
   * Every tag, keyed by type, in insertion order.
   *
   * @return the tags, possibly empty
   */
  public Map<Class<?>, Object> tags() {
    return tags;
  }

  /**
   * Equal when everything sent to the server is equal; {@link #tags()} are ignored.
   *
   * @param o the other object
   * @return whether equal
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ChatRequest)) {
      return false;
    }
    ChatRequest r = (ChatRequest) o;
    return n == r.n
        && messages.equals(r.messages)
        && Objects.equals(temperature, r.temperature)
        && Objects.equals(topP, r.topP)
        && Objects.equals(maxTokens, r.maxTokens)
        && Objects.equals(seed, r.seed)
        && stop.equals(r.stop)
        && extraBody.equals(r.extraBody);
  }

  @Override
  public int hashCode() {
    return Objects.hash(messages, n, temperature, topP, maxTokens, seed, stop, extraBody);
  }

  @Override
  public String toString() {
    return "ChatRequest{messages=" + messages.size() + ", n=" + n + ", temperature=" + temperature
        + ", topP=" + topP + ", maxTokens=" + maxTokens + ", seed=" + seed + ", stop=" + stop
        + ", extraBody=" + extraBody.keySet() + "}";
  }

  /**
   * Builds a {@link ChatRequest}; {@link #build()} validates every field. Not thread-safe.
   */
  public static final class Builder {
    private final List<ChatMessage> messages = new ArrayList<>();
    private int n = 1;
    private Double temperature;
    private Double topP;
    private Integer maxTokens;
    private Long seed;
    private final List<String> stop = new ArrayList<>();
    private final Map<String, Object> extraBody = new LinkedHashMap<>();
    private final Map<Class<?>, Object> tags = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Attaches a tag under its type, replacing one of that type; see {@link
     * ChatRequest#tag(Class)}. None by default.
     *
     * @param type the tag's type
     * @param tag the tag, or null to remove the one of that type
     * @param <T> the tag's type
     * @return this builder
     */
    public <T> Builder tag(Class<T> type, T tag) {
      Objects.requireNonNull(type, "type");
      if (tag == null) {
        tags.remove(type);
      } else {
        tags.put(type, type.cast(tag));
      }
      return this;
    }

    /**
     * Replaces the conversation.
     *
     * @param messages the messages, in order
     * @return this builder
     */
    public Builder messages(List<ChatMessage> messages) {
      this.messages.clear();
      messages.forEach(this::addMessage);
      return this;
    }

    /**
     * Appends a message.
     *
     * @param message the message
     * @return this builder
     */
    public Builder addMessage(ChatMessage message) {
      this.messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /**
     * Appends a system message.
     *
     * @param content the text
     * @return this builder
     */
    public Builder system(String content) {
      return addMessage(ChatMessage.system(content));
    }

    /**
     * Appends a user message.
     *
     * @param content the text
     * @return this builder
     */
    public Builder user(String content) {
      return addMessage(ChatMessage.user(content));
    }

    /**
     * How many choices to generate. Defaults to 1.
     *
     * @param n 1 to {@value ChatRequest#MAX_N}
     * @return this builder
     */
    public Builder n(int n) {
      this.n = n;
      return this;
    }

    /**
     * Sampling temperature, 0 to 2. Unset by default (server default).
     *
     * @param temperature the temperature, or null to unset
     * @return this builder
     */
    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * Nucleus-sampling probability mass, greater than 0 and at most 1. Unset by default.
     *
     * @param topP the mass, or null to unset
     * @return this builder
     */
    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    /**
     * Most tokens per choice, at least 1. Unset by default.
     *
     * @param maxTokens the limit, or null to unset
     * @return this builder
     */
    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Sampling seed. Unset by default.
     *
     * @param seed the seed, or null to unset
     * @return this builder
     */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Replaces the stop sequences. Empty by default.
     *
     * @param stop the sequences
     * @return this builder
     */
    public Builder stop(List<String> stop) {
      this.stop.clear();
      stop.forEach(s -> this.stop.add(Objects.requireNonNull(s, "stop sequence")));
      return this;
    }

    /**
     * Adds a server-specific body field, sent verbatim (for example vLLM's {@code top_k}).
     *
     * @param name the JSON field name
     * @param value a JSON-serialisable value (String, Number, Boolean, List, Map)
     * @return this builder
     */
    public Builder putExtraBody(String name, Object value) {
      this.extraBody.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
      return this;
    }

    /**
     * Adds every entry as a server-specific body field.
     *
     * @param fields the fields
     * @return this builder
     */
    public Builder putAllExtraBody(Map<String, ?> fields) {
      fields.forEach(this::putExtraBody);
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the request
     * @throws ConfigurationException naming the field and value when one is out of range
     */
    public ChatRequest build() {
      if (messages.isEmpty()) {
        throw new ConfigurationException(
            "ChatRequest.messages is empty: add at least one message (for example user(\"...\"))");
      }
      if (n < 1 || n > MAX_N) {
        throw new ConfigurationException(
            "ChatRequest.n must be between 1 and " + MAX_N + ", got " + n);
      }
      SamplingLimits.temperature(temperature).ifPresent(range -> {
        throw new ConfigurationException(
            "ChatRequest.temperature must be " + range + ", got " + temperature);
      });
      SamplingLimits.topP(topP).ifPresent(range -> {
        throw new ConfigurationException("ChatRequest.topP must be " + range + ", got " + topP);
      });
      SamplingLimits.maxTokens(maxTokens).ifPresent(range -> {
        throw new ConfigurationException(
            "ChatRequest.maxTokens must be " + range + ", got " + maxTokens);
      });
      return new ChatRequest(this);
    }
  }
}
