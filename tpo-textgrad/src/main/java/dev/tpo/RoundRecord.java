package dev.tpo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.CallRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one refinement round did: which pool entries were chosen and rejected, the loss, gradient
 * and update requests with their responses, the critique and feedback texts, the pool entries the
 * round added and the update choices it had to drop.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param round the round, from 1
 * @param status how the round ended
 * @param chosenIndex the pool index of the chosen (best) response
 * @param rejectedIndex the pool index of the rejected (worst) response, or null when the mode
 *     shows no rejected response (revision)
 * @param calls every model request of the round, in the order sent
 * @param loss the textual loss (critique), or null when the round stopped before it
 * @param gradient the textual gradient (feedback), or null when the round stopped before it
 * @param addedEntries the pool indexes of the candidates this round added, in order
 * @param dropped the raw text of update choices that could not be parsed
 * @param note why the round failed or stopped, empty when it completed
 */
public record RoundRecord(
    int round,
    RoundStatus status,
    int chosenIndex,
    Integer rejectedIndex,
    List<CallRecord> calls,
    String loss,
    String gradient,
    List<Integer> addedEntries,
    List<String> dropped,
    String note) {

  /**
   * Validates and copies the fields.
   *
   * @param round the round, from 1
   * @param status how the round ended
   * @param chosenIndex the pool index of the chosen (best) response
   * @param rejectedIndex the pool index of the rejected (worst) response, or null when the mode
   *     shows no rejected response (revision)
   * @param calls every model request of the round, in the order sent
   * @param loss the textual loss (critique), or null when the round stopped before it
   * @param gradient the textual gradient (feedback), or null when the round stopped before it
   * @param addedEntries the pool indexes of the candidates this round added, in order
   * @param dropped the raw text of update choices that could not be parsed
   * @param note why the round failed or stopped, empty when it completed
   */
  public RoundRecord {
    Objects.requireNonNull(status, "status");
    calls = List.copyOf(calls);
    addedEntries = List.copyOf(addedEntries);
    dropped = List.copyOf(dropped);
    note = note == null ? "" : note;
  }

  /**
   * The first request of a phase in this round.
   *
   * @param phase the phase
   * @return the request and its response, if the round sent one
   */
  public Optional<CallRecord> call(Phase phase) {
    return calls.stream().filter(c -> c.phase() == phase).findFirst();
  }

  /**
   * The loss request and its response.
   *
   * @return the call, if the round got that far
   */
  @JsonIgnore
  public Optional<CallRecord> lossCall() {
    return call(Phase.LOSS);
  }

  /**
   * The gradient request and its response.
   *
   * @return the call, if the round got that far
   */
  @JsonIgnore
  public Optional<CallRecord> gradientCall() {
    return call(Phase.GRADIENT);
  }

  /**
   * The update request and its raw choices.
   *
   * @return the call, if the round got that far
   */
  @JsonIgnore
  public Optional<CallRecord> updateCall() {
    return call(Phase.UPDATE);
  }
}
