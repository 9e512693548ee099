package dev.tpo.adapter.balance;

import java.util.Objects;

/**
 * A snapshot of one endpoint behind a balancer: its load and state, for progress displays and
 * tests.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param label the endpoint's label (its base URL; never a credential)
 * @param state its health
 * @param inFlight requests sent to it and not answered yet
 * @param queued requests waiting for one of its slots (the concurrency cap)
 * @param served requests it answered successfully so far
 * @param failures requests that failed on it with a connection failure or a 5xx so far
 * @param ejections how often it was taken out so far
 * @param spilledIn requests that left their run's full endpoint for this one so far (spillover,
 *     {@link BalancerBuilder#spillAfterQueued(int)}); each moved its run here
 */
public record EndpointStatus(String label, EndpointState state, int inFlight, int queued,
    long served, long failures, long ejections, long spilledIn) {

  /**
   * Validates the fields.
   *
   * @param label the endpoint's label
   * @param state its health
   * @param inFlight requests in flight
   * @param queued requests waiting for a slot
   * @param served requests answered
   * @param failures requests failed
   * @param ejections times taken out
   * @param spilledIn requests moved here from their run's full endpoint
   */
  public EndpointStatus {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(state, "state");
  }

  /**
   * A snapshot with no spilled request (the form before spillover existed).
   *
   * @param label the endpoint's label
   * @param state its health
   * @param inFlight requests in flight
   * @param queued requests waiting for a slot
   * @param served requests answered
   * @param failures requests failed
   * @param ejections times taken out
   */
  public EndpointStatus(String label, EndpointState state, int inFlight, int queued,
      long served, long failures, long ejections) {
    this(label, state, inFlight, queued, served, failures, ejections, 0);
  }

  /** @return a short form such as {@code http://a:8000/v1 healthy 7+2q} */
  public String summary() {
    return label + " " + state.label() + " " + inFlight + (queued > 0 ? "+" + queued + "q" : "");
  }
}
