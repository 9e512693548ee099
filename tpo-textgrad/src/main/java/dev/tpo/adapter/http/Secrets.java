package dev.tpo.adapter.http;

import java.net.URI;

/** Keeps credentials out of messages and kept response bodies. Stateless; thread-safe. */
public final class Secrets {
  private Secrets() {}

  /**
   * Replaces every occurrence of the secret in the text with {@code ***}.
   *
   * @param text the text, may be null
   * @param secret the secret, may be null or empty (then nothing is replaced)
   * @return the text without the secret, the empty string for null
   */
  public static String redact(String text, String secret) {
    if (text == null) {
      return "";
    }
    if (secret == null || secret.isEmpty()) {
      return text;
    }
    return text.replace(secret, "***");
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
   * @return at most 500 characters of it
   */
  public static String snippet(String body) {
    if (body == null) {
      return "";
    }
    String oneLine = body.strip();
    return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "...";
  }
}
