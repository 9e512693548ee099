package dev.tpo.reward.djl;

import dev.tpo.core.error.ConfigurationException;
import java.util.Objects;

/**
 * A chat template for decoder reward models, written as the model's rendered conversation with the
 * two placeholders {@value #PROMPT} and {@value #RESPONSE}: the conversation [user: prompt,
 * assistant: response] with no generation prompt. No Jinja: copy what {@code
 * tokenizer.apply_chat_template(messages, tokenize=False)} prints for your model and put the
 * placeholders where the two texts go.
 *
 * <p>Placeholders are replaced in one pass, so a prompt or response that itself contains {@code
 * {response}} is inserted verbatim. If the rendered text starts with the BOS token that the
 * tokenizer adds by itself, the scorer removes it before tokenizing, so the input never has two.
 *
 * <p>Immutable; thread-safe.
 */
public final class ChatTemplate {
  /** The placeholder for the user's prompt. */
  public static final String PROMPT = "{prompt}";
  /** The placeholder for the assistant's response. */
  public static final String RESPONSE = "{response}";

  /**
   * Llama 3 (FsfairX-LLaMA3-RM-v0.1 and other Llama-3.0 reward models): header tokens, {@code
   * <|eot_id|>} after each turn, contents trimmed of surrounding white space as Llama 3's template
   * does.
   */
  public static final ChatTemplate LLAMA_3 = new ChatTemplate(
      "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n" + PROMPT
          + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" + RESPONSE
          + "<|eot_id|>",
      true);

  /**
   * Llama 3.1 (for example Skywork-Reward-Llama-3.1-8B): like {@link #LLAMA_3} with the system
   * header that Llama 3.1's template inserts when no system message is given (knowledge cut-off
   * December 2023, date 26 Jul 2024).
   */
  public static final ChatTemplate LLAMA_3_1 = new ChatTemplate(
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
          + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
          + "<|start_header_id|>user<|end_header_id|>\n\n" + PROMPT
          + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" + RESPONSE
          + "<|eot_id|>",
      true);

  private final String template;
  private final boolean trimContent;

  private ChatTemplate(String template, boolean trimContent) {
    this.template = template;
    this.trimContent = trimContent;
  }

  /**
   * A template from its rendered form. Contents are inserted as given (not trimmed).
   *
   * @param template text with {@value #PROMPT} and {@value #RESPONSE} each exactly once
   * @return the template
   * @throws ConfigurationException when a placeholder is missing or repeated
   */
  public static ChatTemplate of(String template) {
    Objects.requireNonNull(template, "template");
    requireOnce(template, PROMPT);
    requireOnce(template, RESPONSE);
    return new ChatTemplate(template, false);
  }

  /**
   * A copy that trims white space around the prompt and the response before inserting them.
   *
   * @param trim whether to trim; Llama 3's template trims
   * @return a new template
   */
  public ChatTemplate withTrimmedContent(boolean trim) {
    return new ChatTemplate(template, trim);
  }

  /**
   * Renders the conversation.
   *
   * @param prompt the user's prompt
   * @param response the assistant's response
   * @return the template with both placeholders replaced
   */
  public String render(String prompt, String response) {
    String p = trimContent ? prompt.strip() : prompt;
    String r = trimContent ? response.strip() : response;
    int pi = template.indexOf(PROMPT);
    int ri = template.indexOf(RESPONSE);
    StringBuilder out = new StringBuilder(template.length() + p.length() + r.length());
    if (pi < ri) {
      out.append(template, 0, pi).append(p)
          .append(template, pi + PROMPT.length(), ri).append(r)
          .append(template, ri + RESPONSE.length(), template.length());
    } else {
      out.append(template, 0, ri).append(r)
          .append(template, ri + RESPONSE.length(), pi).append(p)
          .append(template, pi + PROMPT.length(), template.length());
    }
    return out.toString();
  }

  /**
   * The template text with its placeholders.
   *
   * @return the template
   */
  public String template() {
    return template;
  }

  /**
   * Whether contents are trimmed before insertion.
   *
   * @return true for the Llama presets
   */
  public boolean trimsContent() {
    return trimContent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatTemplate
        && ((ChatTemplate) o).template.equals(template)
        && ((ChatTemplate) o).trimContent == trimContent;
  }

  @Override
  public int hashCode() {
    return template.hashCode() * 31 + Boolean.hashCode(trimContent);
  }

  @Override
  public String toString() {
    return "ChatTemplate[" + template.replace("\n", "\\n") + ", trim=" + trimContent + "]";
  }

  private static void requireOnce(String template, String placeholder) {
    int first = template.indexOf(placeholder);
    if (first < 0 || template.indexOf(placeholder, first + 1) >= 0) {
      throw new ConfigurationException("chat template must contain " + placeholder
          + " exactly once, got: " + template.replace("\n", "\\n")
          + ". Write the conversation [user: " + PROMPT + ", assistant: " + RESPONSE
          + "] as your model's chat template renders it");
    }
  }
}
