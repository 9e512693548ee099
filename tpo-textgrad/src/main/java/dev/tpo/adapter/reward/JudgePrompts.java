package dev.tpo.adapter.reward;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The judge's prompt templates, kept as data under {@code dev/tpo/adapter/reward/prompts/}, and
 * their renderer: {@code {{name}}} placeholders replaced in one pass, so text inserted for one
 * placeholder (a response that contains {@code {{max}}}) is never rendered again. Stateless;
 * thread-safe.
 */
final class JudgePrompts {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

  static final String SYSTEM = load("judge-system.txt");
  static final String USER = load("judge-user.txt");
  static final String FORMAT_TAGGED = load("judge-format-tagged.txt");
  static final String FORMAT_JSON = load("judge-format-json.txt");
  static final String RETRY = load("judge-retry.txt");
  static final String DEFAULT_RUBRIC = load("judge-rubric.txt");

  private JudgePrompts() {}

  /**
   * Renders a template.
   *
   * @param template the template text
   * @param values placeholder name to value
   * @return the text
   * @throws IllegalArgumentException when the template names a placeholder without a value
   */
  static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for the placeholder {{" + m.group(1) + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String load(String name) {
    String path = "prompts/" + name;
    try (InputStream in = JudgePrompts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource dev/tpo/adapter/reward/" + path);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
