package dev.tpo;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one prompt of {@link Tpo#optimizeAll}: its request and either its result or the
 * exception its run failed with. One failing prompt never loses the others' results.
 *
 * <p>Immutable value; thread-safe.
 */
public final class TpoOutcome {
  private final int index;
  private final TpoRequest request;
  private final TpoResult result;
  private final RuntimeException error;

  private TpoOutcome(int index, TpoRequest request, TpoResult result, RuntimeException error) {
    this.index = index;
    this.request = Objects.requireNonNull(request, "request");
    this.result = result;
    this.error = error;
  }

  /**
   * A successful outcome.
   *
   * @param index the prompt's position in the input list
   * @param request the request
   * @param result its result
   * @return the outcome
   */
  public static TpoOutcome success(int index, TpoRequest request, TpoResult result) {
    return new TpoOutcome(index, request, Objects.requireNonNull(result, "result"), null);
  }

  /**
   * A failed outcome.
   *
   * @param index the prompt's position in the input list
   * @param request the request
   * @param error what the run failed with
   * @return the outcome
   */
  public static TpoOutcome failure(int index, TpoRequest request, RuntimeException error) {
    return new TpoOutcome(index, request, null, Objects.requireNonNull(error, "error"));
  }

  /** @return the prompt's position in the input list */
  public int index() {
    return index;
  }

  /** @return the request */
  public TpoRequest request() {
    return request;
  }

  /** @return the result, empty when the run failed */
  public Optional<TpoResult> result() {
    return Optional.ofNullable(result);
  }

  /** @return the failure, empty when the run succeeded */
  public Optional<RuntimeException> error() {
    return Optional.ofNullable(error);
  }

  /** @return whether the run produced a result */
  public boolean succeeded() {
    return result != null;
  }

  /**
   * The result, or the failure rethrown.
   *
   * @return the result
   * @throws RuntimeException the run's failure
   */
  public TpoResult resultOrThrow() {
    if (error != null) {
      throw error;
    }
    return result;
  }

  @Override
  public String toString() {
    return "TpoOutcome{index=" + index + ", " + (result != null
        ? "bestScore=" + result.bestScore() : "error=" + error) + "}";
  }
}
