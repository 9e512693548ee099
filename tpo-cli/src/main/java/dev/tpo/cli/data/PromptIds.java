package dev.tpo.cli.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Stable ids and file names for prompts. A prompt without an id gets {@code p-} followed by the
 * first 16 hex digits of the SHA-256 of its UTF-8 text, so the same text gets the same id in every
 * run and on every machine.
 *
 * <p>Stateless; thread-safe.
 */
public final class PromptIds {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  private PromptIds() {}

  /**
   * The id of a prompt given without one.
   *
   * @param text the prompt text
   * @return {@code p-} and 16 hex digits
   */
  public static String fromText(String text) {
    return "p-" + sha256Hex(text).substring(0, 16);
  }

  /**
   * A file name (without extension) for a prompt's trace: the id itself when it is made of letters,
   * digits, dot, dash and underscore (and does not start with a dot), else {@code id-} and a hash.
   *
   * @param id the prompt id
   * @return a name safe on every file system
   */
  public static String fileName(String id) {
    if (SAFE.matcher(id).matches() && !id.startsWith(".")) {
      return id;
    }
    return "id-" + sha256Hex(id).substring(0, 24);
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
