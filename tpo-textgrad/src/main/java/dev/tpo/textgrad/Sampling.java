package dev.tpo.textgrad;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.SamplingLimits;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sampling settings of one kind of request the engine makes: temperature, top_p, seed, max
 * tokens and server-specific extra body fields. Settings left unset are not sent, so the server's
 * default applies. The number of choices is not part of it: the engine sets {@code n} per request.
 *
 * <p>Immutable value; thread-safe. Build with {@link #builder()}; {@link #DEFAULT} sets nothing.
 */
public final class Sampling {
  /** No setting: every request uses the server's defaults. */
  public static final Sampling DEFAULT = builder().build();

  private final Double temperature;
  private final Double topP;
  private final Long seed;
  private final Integer maxTokens;
  private final Map<String, Object> extraBody;

  private Sampling(Builder b) {
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.seed = b.seed;
    this.maxTokens = b.maxTokens;
    this.extraBody = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraBody));
  }

  /**
   * A new builder with nothing set.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder initialised with these settings.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.temperature = temperature;
    b.topP = topP;
    b.seed = seed;
    b.maxTokens = maxTokens;
    b.extraBody.putAll(extraBody);
    return b;
  }

  /** @return the temperature, if set */
  public Optional<Double> temperature() {
    return Optional.ofNullable(temperature);
  }

  /** @return the nucleus-sampling mass, if set */
  public Optional<Double> topP() {
    return Optional.ofNullable(topP);
  }

  /** @return the seed, if set */
  public Optional<Long> seed() {
    return Optional.ofNullable(seed);
  }

  /** @return the most tokens per choice, if set */
  public Optional<Integer> maxTokens() {
    return Optional.ofNullable(maxTokens);
  }

  /** @return server-specific body fields, in insertion order */
  public Map<String, Object> extraBody() {
    return extraBody;
  }

  /**
   * Copies these settings onto a request builder (unset ones are left as they are there).
   *
   * @param request the request builder
   * @return the same request builder
   */
  public ChatRequest.Builder applyTo(ChatRequest.Builder request) {
    if (temperature != null) {
      request.temperature(temperature);
    }
    if (topP != null) {
      request.topP(topP);
    }
    if (seed != null) {
      request.seed(seed);
    }
    if (maxTokens != null) {
      request.maxTokens(maxTokens);
    }
    request.putAllExtraBody(extraBody);
    return request;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Sampling)) {
      return false;
    }
    Sampling s = (Sampling) o;
    return Objects.equals(temperature, s.temperature) && Objects.equals(topP, s.topP)
        && Objects.equals(seed, s.seed) && Objects.equals(maxTokens, s.maxTokens)
        && extraBody.equals(s.extraBody);
  }

  @Override
  public int hashCode() {
    return Objects.hash(temperature, topP, seed, maxTokens, extraBody);
  }

  @Override
  public String toString() {
    return "Sampling{temperature=" + temperature + ", topP=" + topP + ", seed=" + seed
        + ", maxTokens=" + maxTokens + ", extraBody=" + extraBody.keySet() + "}";
  }

  /** Builds a {@link Sampling}; {@link #build()} validates the ranges. Not thread-safe. */
  public static final class Builder {
    private Double temperature;
    private Double topP;
    private Long seed;
    private Integer maxTokens;
    private final Map<String, Object> extraBody = new LinkedHashMap<>();

    private Builder() {}

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
     * Nucleus-sampling mass, greater than 0 and at most 1. Unset by default.
     *
     * @param topP the mass, or null to unset
     * @return this builder
     */
    public Builder topP(Double topP) {
      this.topP = topP;
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
     * Adds a server-specific body field, sent verbatim (for example vLLM's {@code top_k}). Empty
     * by default.
     *
     * @param name the JSON field name
     * @param value a JSON-serialisable value
     * @return this builder
     */
    public Builder putExtraBody(String name, Object value) {
      extraBody.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
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
     * @return the settings
     * @throws ConfigurationException naming the field and value when one is out of range
     */
    public Sampling build() {
      SamplingLimits.temperature(temperature).ifPresent(range -> {
        throw new ConfigurationException(
            "Sampling.temperature must be " + range + ", got " + temperature);
      });
      SamplingLimits.topP(topP).ifPresent(range -> {
        throw new ConfigurationException("Sampling.topP must be " + range + ", got " + topP);
      });
      SamplingLimits.maxTokens(maxTokens).ifPresent(range -> {
        throw new ConfigurationException(
            "Sampling.maxTokens must be " + range + ", got " + maxTokens);
      });
      return new Sampling(this);
    }
  }
}
