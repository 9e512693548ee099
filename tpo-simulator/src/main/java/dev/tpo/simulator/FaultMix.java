package dev.tpo.simulator;

import java.time.Duration;
import java.util.List;

/**
 * Every fault kind of the simulator at once, each injected into about the same share of the
 * requests it applies to, mixed: the soak benchmark's and {@code --fault-mix}'s fault load.
 * Stateless; thread-safe.
 */
public final class FaultMix {
  private FaultMix() {}

  /**
   * The chat faults of the mix: HTTP 429 (with and without {@code Retry-After}), 500, 502, 503, a
   * dropped connection, a hang past the client's timeout, a body cut off mid-transfer, a complete
   * answer whose JSON is cut off, an answer without choices, fewer choices, {@code
   * finish_reason=length}, and update answers without tags, empty, or with tag text inside.
   *
   * @param hang how long a hang lasts (longer than the client's read timeout)
   * @return the faults
   */
  public static List<Fault> chat(Duration hang) {
    return List.of(Fault.rateLimited(), Fault.rateLimited(Duration.ofSeconds(1)),
        Fault.status(500), Fault.status(502), Fault.status(503), Fault.closeConnection(),
        Fault.hang(hang), Fault.cutBody(), Fault.malformedJson(), Fault.noChoices(),
        Fault.fewerChoices(1), Fault.finishLength(), Fault.updateWithoutTags(),
        Fault.updateEmpty(), Fault.updateTagTextInside());
  }

  /**
   * The reward faults of the mix: HTTP 429, 503, a dropped connection, a hang, a body cut off
   * mid-transfer, a cut-off JSON answer, a NaN score and one score too few.
   *
   * @param hang how long a hang lasts (longer than the client's read timeout)
   * @return the faults
   */
  public static List<Fault> reward(Duration hang) {
    return List.of(Fault.rateLimited(), Fault.status(503), Fault.closeConnection(),
        Fault.hang(hang), Fault.cutBody(), Fault.malformedJson(), Fault.rewardNaN(),
        Fault.rewardTooFew());
  }

  /**
   * Adds every fault kind to the server's chat and reward paths, each with the given probability.
   *
   * @param server the server
   * @param probability the share of requests each kind hits, 0 to 1
   * @param hang how long a hang lasts
   */
  public static void apply(SimulatedOpenAiServer server, double probability, Duration hang) {
    for (Fault f : chat(hang)) {
      server.chatFaults().withProbability(probability, f);
    }
    for (String path : SimulatedOpenAiServer.REWARD_PATHS) {
      for (Fault f : reward(hang)) {
        server.faults(path).withProbability(probability, f);
      }
    }
  }
}
