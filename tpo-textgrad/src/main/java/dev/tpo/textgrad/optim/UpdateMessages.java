package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatMessage;
import java.util.List;

/**
 * Renders the messages of one update request in place of the {@code tgd-system} and {@code
 * tgd-update} templates, for a caller that lays its prompts out itself (a TPO run with {@code
 * PromptLayout.PREFIX_SHARED} starts its update request with the same block as its loss and
 * gradient requests). Parsing the choices, the reformat request and the candidates stay those of
 * {@link TgdOptimizer}; the messages must still ask for the new value between the descent's
 * {@link TextualGradientDescent#tags()}.
 *
 * <p>Implementations must be thread-safe when the descent is shared between runs.
 */
@FunctionalInterface
public interface UpdateMessages {

  /**
   * The messages of the update request for one parameter.
   *
   * @param parameter the parameter, with its gradients
   * @param history its past values, oldest first
   * @return the messages, at least one
   */
  List<ChatMessage> messages(Variable parameter, List<String> history);
}
