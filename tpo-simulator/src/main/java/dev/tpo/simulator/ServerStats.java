package dev.tpo.simulator;

import java.util.Map;

/**
 * A snapshot of a {@link SimulatedOpenAiServer}'s counters. Requests to the simulator's own
 * control paths ({@code /sim/...}) are not counted.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param requests requests received since start or the last reset
 * @param inFlight requests being handled right now
 * @param maxInFlight the most requests handled at once since start or the last reset
 * @param requestsByPath requests received per path
 * @param faultsInjected faults injected since start or the last reset
 * @param delayNanosByPath per path, the total simulated latency (configured latency, token delay
 *     and injected delays) the server waited before answering, in nanoseconds
 * @param firstArrivalEpochMillisByPath per path, when its first request since start or the last
 *     reset arrived (wall clock, milliseconds since the epoch: comparable with another process's
 *     clock on the same machine, such as a client's start time)
 */
public record ServerStats(
    long requests, int inFlight, int maxInFlight, Map<String, Long> requestsByPath,
    long faultsInjected, Map<String, Long> delayNanosByPath,
    Map<String, Long> firstArrivalEpochMillisByPath) {

  /**
   * Copies the maps.
   *
   * @param requests requests received since start or the last reset
   * @param inFlight requests being handled right now
   * @param maxInFlight the most requests handled at once since start or the last reset
   * @param requestsByPath requests received per path
   * @param faultsInjected faults injected since start or the last reset
   * @param delayNanosByPath per path, the total simulated latency (configured latency, token delay
   *     and injected delays) the server waited before answering, in nanoseconds
   * @param firstArrivalEpochMillisByPath per path, when its first request arrived (milliseconds
   *     since the epoch)
   */
  public ServerStats {
    requestsByPath = Map.copyOf(requestsByPath);
    delayNanosByPath = Map.copyOf(delayNanosByPath);
    firstArrivalEpochMillisByPath = Map.copyOf(firstArrivalEpochMillisByPath);
  }

  /**
   * When the first request to one path arrived.
   *
   * @param path the path
   * @return milliseconds since the epoch, empty when none arrived
   */
  public java.util.OptionalLong firstArrivalEpochMillis(String path) {
    Long t = firstArrivalEpochMillisByPath.get(path);
    return t == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(t);
  }

  /**
   * The total simulated latency of one path.
   *
   * @param path the path
   * @return nanoseconds, 0 when none
   */
  public long delayNanos(String path) {
    return delayNanosByPath.getOrDefault(path, 0L);
  }

  /**
   * Requests received on one path.
   *
   * @param path for example {@link SimulatedOpenAiServer#CHAT_PATH}
   * @return the count, 0 when none
   */
  public long requests(String path) {
    return requestsByPath.getOrDefault(path, 0L);
  }
}
