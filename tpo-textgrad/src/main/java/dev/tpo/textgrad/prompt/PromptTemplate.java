package dev.tpo.textgrad.prompt;

import dev.tpo.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template: text with {@code {{name}}} placeholders (names of lower-case letters, digits
 * and underscores, starting with a letter). Rendering replaces each placeholder with its value in
 * one pass: text inside values is never scanned again, so a value may contain {@code {{...}}}
 * safely. Anything that is not a well-formed placeholder is kept literally.
 *
 * <p>This is the one renderer of the project's prompt templates: the engine's ({@link
 * PromptTemplates}, which holds the engine's, the TPO loop's and the LLM judge's prompts).
 *
 * <p>Immutable; thread-safe. The template is parsed once, in {@link #of(String, String)}.
 */
public final class PromptTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z][a-z0-9_]*)}}");

  private final String name;
  private final String text;
  // Alternating literal and placeholder segments; placeholders are marked by an odd index.
  private final List<String> segments;
  private final Set<String> placeholders;

  private PromptTemplate(String name, String text) {
    this.name = name;
    this.text = text;
    List<String> parts = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    int last = 0;
    while (m.find()) {
      parts.add(text.substring(last, m.start()));
      parts.add(m.group(1));
      names.add(m.group(1));
      last = m.end();
    }
    parts.add(text.substring(last));
    this.segments = List.copyOf(parts);
    this.placeholders = Collections.unmodifiableSet(names);
  }

  /**
   * Parses a template.
   *
   * @param name the template's name, used in messages
   * @param text the template text
   * @return the template
   */
  public static PromptTemplate of(String name, String text) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
    return new PromptTemplate(name, text);
  }

  /**
   * Reads a template shipped on the class path. Line breaks are normalised to {@code \n}; the
   * file's final line break (files end with one by convention) is not part of the template.
   *
   * @param name the template's name, used in messages
   * @param resourcePath the absolute class-path resource, for example {@code
   *     "/dev/tpo/prompts/tpo-loss.txt"}
   * @return the template
   * @throws IllegalStateException when the resource is missing (an incomplete jar)
   * @throws UncheckedIOException when it cannot be read
   */
  public static PromptTemplate fromResource(String name, String resourcePath) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(resourcePath, "resourcePath");
    try (InputStream in = PromptTemplate.class.getResourceAsStream(resourcePath)) {
      if (in == null) {
        throw new IllegalStateException("built-in prompt template " + resourcePath + " is missing"
            + " from the class path; the tpo-textgrad jar is incomplete");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
      return of(name, text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read built-in prompt template " + resourcePath, e);
    }
  }

  /**
   * Checks that the template uses every one of the given placeholders and no other, for
   * templates a caller may replace whose every placeholder the code fills.
   *
   * @param required the placeholders it must use, and the only ones it may use
   * @return this template
   * @throws ConfigurationException naming the template and the missing or unknown placeholder
   */
  public PromptTemplate requireExactly(Collection<String> required) {
    for (String r : required) {
      if (!placeholders.contains(r)) {
        throw new ConfigurationException(
            "prompt template '" + name + "' does not use {{" + r + "}}; it must contain "
                + describe(required));
      }
    }
    for (String u : placeholders) {
      if (!required.contains(u)) {
        throw new ConfigurationException(
            "prompt template '" + name + "' uses the unknown placeholder {{" + u
                + "}}; allowed: " + describe(required));
      }
    }
    return this;
  }

  private static String describe(Collection<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      sb.append(sb.length() == 0 ? "" : ", ").append("{{").append(n).append("}}");
    }
    return sb.length() == 0 ? "no placeholder" : sb.toString();
  }

  /** @return the template's name */
  public String name() {
    return name;
  }

  /** @return the template text as given */
  public String text() {
    return text;
  }

  /** @return the placeholder names in order of first appearance */
  public Set<String> placeholders() {
    return placeholders;
  }

  /**
   * Renders the template. Values for names the template does not use are ignored.
   *
   * @param values a value for every placeholder
   * @return the rendered text
   * @throws ConfigurationException naming the template and the placeholder when a value is missing
   */
  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder(text.length() + 256);
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (i % 2 == 0) {
        out.append(segment);
      } else {
        String value = values.get(segment);
        if (value == null) {
          throw new ConfigurationException(
              "template '" + name + "' uses {{" + segment + "}} but no value was given for it;"
                  + " the values given are " + values.keySet());
        }
        out.append(value);
      }
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTemplate
        && ((PromptTemplate) o).name.equals(name)
        && ((PromptTemplate) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, text);
  }

  @Override
  public String toString() {
    return "PromptTemplate{" + name + ", placeholders=" + placeholders + "}";
  }
}
