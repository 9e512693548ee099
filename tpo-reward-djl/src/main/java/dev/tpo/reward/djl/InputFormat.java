package dev.tpo.reward.djl;

import java.util.Objects;
import java.util.Optional;

/**
 * How a (prompt, response) pair becomes the reward model's input: a {@link ChatTemplate} for
 * decoder reward models (Llama-3 and similar), or a {@link #pair() text pair} for encoder models
 * (BERT, DeBERTa), which the tokenizer joins with its own separators and token types.
 *
 * <p>Immutable; thread-safe.
 */
public final class InputFormat {
  private static final InputFormat PAIR = new InputFormat(null);

  private final ChatTemplate template;

  private InputFormat(ChatTemplate template) {
    this.template = template;
  }

  /**
   * The encoder format: the tokenizer encodes (prompt, response) as a text pair, for example
   * {@code [CLS] prompt [SEP] response [SEP]} with token types 0 and 1.
   *
   * @return the pair format
   */
  public static InputFormat pair() {
    return PAIR;
  }

  /**
   * The decoder format: the chat template rendered over [user: prompt, assistant: response].
   *
   * @param template the template
   * @return the chat format
   */
  public static InputFormat chat(ChatTemplate template) {
    return new InputFormat(Objects.requireNonNull(template, "template"));
  }

  /**
   * The chat format with the {@link ChatTemplate#LLAMA_3} preset.
   *
   * @return the Llama 3 chat format
   */
  public static InputFormat llama3() {
    return chat(ChatTemplate.LLAMA_3);
  }

  /**
   * The chat template, empty for the pair format.
   *
   * @return the template
   */
  public Optional<ChatTemplate> chatTemplate() {
    return Optional.ofNullable(template);
  }

  /**
   * Whether this is the encoder pair format.
   *
   * @return true for {@link #pair()}
   */
  public boolean isPair() {
    return template == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputFormat && Objects.equals(((InputFormat) o).template, template);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(template);
  }

  @Override
  public String toString() {
    return template == null ? "pair" : "chat(" + template + ")";
  }
}
