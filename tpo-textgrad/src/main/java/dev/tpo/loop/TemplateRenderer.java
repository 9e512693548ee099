package dev.tpo.loop;

import dev.tpo.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the TPO prompt templates: {@code {{name}}} placeholders replaced in one pass, so a value
 * that itself contains {@code {{rejected}}}, tags or separators is inserted verbatim and never
 * rendered again. Internal to the loop; its behaviour is pinned by golden tests.
 *
 * <p>Stateless; thread-safe.
 */
public final class TemplateRenderer {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z_][A-Za-z0-9_]*)}}");

  private TemplateRenderer() {}

  /**
   * The placeholder names a template uses, in order of first use.
   *
   * @param template the template
   * @return the names
   */
  public static Set<String> placeholders(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * Checks that a template uses exactly the given placeholders.
   *
   * @param what the template's name for the message, for example {@code "tpoLoss"}
   * @param template the template
   * @param required the placeholders it must use, and the only ones it may use
   * @throws ConfigurationException naming the template and the missing or unknown placeholder
   */
  public static void requireExactly(String what, String template, List<String> required) {
    Set<String> used = placeholders(template);
    for (String r : required) {
      if (!used.contains(r)) {
        throw new ConfigurationException(
            "prompt template '" + what + "' does not use {{" + r + "}}; it must contain "
                + describe(required));
      }
    }
    for (String u : used) {
      if (!required.contains(u)) {
        throw new ConfigurationException(
            "prompt template '" + what + "' uses the unknown placeholder {{" + u
                + "}}; allowed: " + describe(required));
      }
    }
  }

  /**
   * Replaces every placeholder with its value, in one pass.
   *
   * @param template the template
   * @param values a value for every placeholder the template uses
   * @return the rendered text
   * @throws IllegalArgumentException when a placeholder has no value
   */
  public static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 256);
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for {{" + m.group(1) + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Reads a template shipped under {@code dev/tpo/prompts/}, without its final line break.
   *
   * @param name the file name, for example {@code "tpo-loss.txt"}
   * @return the template
   */
  public static String load(String name) {
    String path = "/dev/tpo/prompts/" + name;
    try (InputStream in = TemplateRenderer.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("prompt template " + path + " is missing from the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read prompt template " + path, e);
    }
  }

  private static String describe(List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      sb.append(sb.length() == 0 ? "" : ", ").append("{{").append(n).append("}}");
    }
    return sb.length() == 0 ? "no placeholder" : sb.toString();
  }
}
