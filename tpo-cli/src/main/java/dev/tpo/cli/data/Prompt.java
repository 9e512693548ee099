package dev.tpo.cli.data;

import java.util.Objects;

/**
 * One prompt of a data file.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param id the prompt's id: given in the file, or derived from its text (see {@link PromptIds})
 * @param text the prompt text, never blank
 * @param line the 1-based line of the data file where the prompt starts, for messages
 */
public record Prompt(String id, String text, int line) {

  /**
   * Validates the fields.
   *
   * @param id the prompt's id: given in the file, or derived from its text (see {@link PromptIds})
   * @param text the prompt text, never blank
   * @param line the 1-based line of the data file where the prompt starts, for messages
   */
  public Prompt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id is blank");
    }
  }
}
