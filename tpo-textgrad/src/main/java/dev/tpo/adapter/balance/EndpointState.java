package dev.tpo.adapter.balance;

/**
 * The health of one endpoint behind a balancer.
 *
 * <p>Immutable; thread-safe.
 */
public enum EndpointState {
  /** Serving: new runs may be routed to it. */
  HEALTHY,
  /** Taken out after consecutive failures; no request goes to it until its probe time. */
  EJECTED,
  /** Half-open: one probe request is on its way; a success brings it back, a failure ejects it. */
  PROBING;

  /** @return the state in lower case, as progress lines show it */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
