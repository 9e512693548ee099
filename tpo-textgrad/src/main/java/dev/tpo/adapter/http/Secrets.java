package dev.tpo.adapter.http;

import java.net.URI;

/**
 * Keeps credentials out of messages, kept response bodies, results, traces and reports: the one
 * redaction function of the project ({@link #redact(String, String...)}), and cutting that never
 * leaves a fragment of a key behind ({@link #snippet(String, String...)}).
 *
 * <p>Redaction replaces with {@code ***}:
 *
 * <ul>
 *   <li>every occurrence of a key;
 *   <li>every run of at least {@value #MIN_FRAGMENT} characters that is a prefix of a key (a key
 *       that some earlier step cut off, for example a model's answer stopped at its token limit or
 *       a message that quotes a body up to a length);
 *   <li>a suffix of a key of at least {@value #MIN_FRAGMENT} characters at the very start of the
 *       text (a text whose beginning was cut off).
 * </ul>
 *
 * Keys shorter than {@value #MIN_FRAGMENT} characters are redacted whole only. Stateless;
 * thread-safe.
 */
public final class Secrets {
  /** The shortest fragment of a key (prefix or suffix) that is redacted on its own. */
  public static final int MIN_FRAGMENT = 8;

  /** How many characters of a body {@link #snippet} keeps. */
  public static final int SNIPPET_CHARS = 500;

  private Secrets() {}

  /**
   * Replaces every occurrence of each secret, and every fragment of one at a cut edge (see the
   * class comment), with {@code ***}.
   *
   * @param text the text, may be null
   * @param secrets the secrets; null or empty ones are ignored
   * @return the text without the secrets, the empty string for null
   */
  public static String redact(String text, String... secrets) {
    if (text == null) {
      return "";
    }
    if (secrets == null || secrets.length == 0) {
      return text;
    }
    String[] sorted = java.util.Arrays.stream(secrets)
        .filter(k -> k != null && !k.isEmpty())
        .sorted(java.util.Comparator.comparingInt(String::length).reversed())
        .toArray(String[]::new);
    String out = text;
    for (String key : sorted) {
      out = redactOne(out, key);
    }
    return out;
  }

  /**
   * Redaction by a list of secrets; see {@link #redact(String, String...)}.
   *
   * @param text the text, may be null
   * @param secrets the secrets; null or empty ones are ignored
   * @return the text without the secrets, the empty string for null
   */
  public static String redactAll(String text, java.util.Collection<String> secrets) {
    return redact(text, secrets.toArray(String[]::new));
  }

  private static String redactOne(String text, String key) {
    if (key.length() < MIN_FRAGMENT) {
      return text.replace(key, "***");
    }
    String head = key.substring(0, MIN_FRAGMENT);
    StringBuilder sb = null;
    int from = 0;
    int at;
    while ((at = text.indexOf(head, from)) >= 0) {
      int end = at + MIN_FRAGMENT;
      while (end < text.length() && end - at < key.length()
          && text.charAt(end) == key.charAt(end - at)) {
        end++;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length());
      }
      sb.append(text, from, at).append("***");
      from = end;
    }
    String out = sb == null ? text : sb.append(text, from, text.length()).toString();
    // A text that starts inside a key: its first characters are the key's last ones.
    for (int len = key.length() - 1; len >= MIN_FRAGMENT; len--) {
      if (out.startsWith(key.substring(key.length() - len))) {
        return "***" + out.substring(len);
      }
    }
    return out;
  }

  /**
   * The URI without user info, query or fragment, for messages.
   *
   * @param uri the URI
   * @return scheme, host, port and path only
   */
  public static String describe(URI uri) {
    StringBuilder sb = new StringBuilder();
    if (uri.getScheme() != null) {
      sb.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      sb.append(uri.getHost());
    }
    if (uri.getPort() >= 0) {
      sb.append(':').append(uri.getPort());
    }
    if (uri.getRawPath() != null) {
      sb.append(uri.getRawPath());
    }
    return sb.toString();
  }

  /**
   * Shortens a response body for a message (the full body is kept in the exception).
   *
   * @param body the body
   * @return at most {@value #SNIPPET_CHARS} characters of it
   */
  public static String snippet(String body) {
    return snippet(body, new String[0]);
  }

  /**
   * Redacts the secrets from a body, then shortens it for a message to at most {@value
   * #SNIPPET_CHARS} characters, and redacts again so that no key fragment is left at the cut.
   *
   * @param body the body, may be null
   * @param secrets the secrets to keep out
   * @return the redacted snippet, the empty string for null
   */
  public static String snippet(String body, String... secrets) {
    if (body == null) {
      return "";
    }
    String oneLine = redact(body, secrets).strip();
    if (oneLine.length() <= SNIPPET_CHARS) {
      return oneLine;
    }
    return redact(oneLine.substring(0, SNIPPET_CHARS), secrets) + "...";
  }
}
