package dev.tpo.simulator;

/**
 * How the {@link SimulatedOpenAiServer} treats a chat request's {@code n} (number of choices), as
 * real servers differ.
 *
 * <p>Immutable; thread-safe.
 */
public enum NMode {
  /** Generate {@code n} choices, like vLLM, SGLang and OpenAI. */
  HONOR,
  /**
   * Refuse {@code n > 1} with an error status (500 by default) whose message names {@code n}, like
   * older llama.cpp servers ("Only one completion choice is allowed").
   */
  REFUSE,
  /** Ignore {@code n} and always send one choice, like Ollama's OpenAI-compatible API. */
  IGNORE
}
