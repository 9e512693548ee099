package dev.tpo.textgrad.prompt;

import dev.tpo.core.error.ConfigurationException;
import java.util.ArrayList;
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
