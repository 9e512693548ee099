package dev.tpo.simulator;

/**
 * How the {@link SimulatedOpenAiServer} answers a chat request with {@code stream=true}, as real
 * servers differ when it asks for several choices ({@code n > 1}).
 *
 * <p>Immutable; thread-safe.
 */
public enum StreamMode {
  /**
   * Stream every choice as server-sent events, interleaved token by token (as vLLM and OpenAI
   * do), each ending with its {@code finish_reason}, then a usage chunk and {@code [DONE]}.
   */
  HONOR,
  /** Refuse a streamed request with {@code n > 1} with HTTP 400; {@code n = 1} streams. */
  REFUSE_N,
  /** Stream only choice 0 whatever {@code n} asks for (as a server that ignores {@code n}). */
  FIRST_ONLY
}
