package dev.tpo.core.model;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hears each choice of a response as soon as that choice has finished, before the whole response
 * is complete: a model that streams its answer (the OpenAI-compatible adapter in {@code
 * tpo-textgrad}, with {@code stream=true}) calls it when a choice's finish reason arrives, so a
 * caller can start work on the fast choices (score them, for example) while slower ones are still
 * being generated. Pass one to {@link LanguageModel#chatAsync(ChatRequest, ChoiceListener)}; a
 * model that does not stream calls it for every choice once its response has arrived.
 *
 * <p>Contract: called at most once per choice index (exactly once for each choice of a response
 * that completes), on whatever thread reads the answer, possibly on several threads for the choices
 * of one request. It must return quickly and hand heavy work to another thread; it must not throw
 * (what it throws is suppressed: the request completes as if it had returned). The text it is given
 * is normally the text of that choice in the response; a model that had to send the request again
 * (after a broken connection) or to fall back to a plain request may answer with another text for
 * an index it already reported, so a caller must treat what it heard as a head start and take the
 * response's choices as the result.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ChoiceListener {

  /**
   * One choice has finished.
   *
   * @param choice its index in the response, its full text and why it stopped
   */
  void onChoice(ChatChoice choice);

  /**
   * Calls the listener, suppressing what it throws.
   *
   * @param listener the listener
   * @param choice the finished choice
   */
  static void notifySafely(ChoiceListener listener, ChatChoice choice) {
    try {
      listener.onChoice(choice);
    } catch (RuntimeException ignored) {
      // The contract says it must not throw; one that does cannot fail the request.
    }
  }

  /**
   * A listener that passes each index on at most once, and can report afterwards the choices of a
   * response it has not passed on yet: what a model or an interceptor that forwards a listener
   * wraps it in, so that the "at most once per index, once for every choice" contract holds however
   * the request was served.
   *
   * @param listener the listener to guard
   * @return the guarding listener (the same instance when it already guards)
   */
  static OncePerChoice oncePerChoice(ChoiceListener listener) {
    return listener instanceof OncePerChoice ? (OncePerChoice) listener
        : new OncePerChoice(listener);
  }

  /**
   * A {@link ChoiceListener} that passes each choice index on at most once. Thread-safe.
   */
  final class OncePerChoice implements ChoiceListener {
    private final ChoiceListener listener;
    private final Set<Integer> reported = ConcurrentHashMap.newKeySet();

    private OncePerChoice(ChoiceListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void onChoice(ChatChoice choice) {
      if (reported.add(choice.index())) {
        notifySafely(listener, choice);
      }
    }

    /**
     * Reports the choices of a complete response whose indices were not reported yet.
     *
     * @param response the response
     * @return the same response
     */
    public ChatResponse reportRest(ChatResponse response) {
      for (ChatChoice c : response.choices()) {
        onChoice(c);
      }
      return response;
    }

    /**
     * Whether a choice index has been reported.
     *
     * @param index the index
     * @return true once it was passed on
     */
    public boolean reported(int index) {
      return reported.contains(index);
    }
  }
}
