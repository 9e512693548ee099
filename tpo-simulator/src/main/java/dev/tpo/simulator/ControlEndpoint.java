package dev.tpo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The simulator's own control paths, for a server run as a separate process: {@code GET
 * /sim/stats} (the counters, the CPU time of the simulator's JVM as {@code processCpuNanos}, the
 * chat prompt tokens as {@code promptTokens} and those served from the prefix cache as {@code
 * cachedTokens}),
 * {@code POST /sim/reset}, {@code POST /sim/config}. Thread-safe.
 */
final class ControlEndpoint {
  private final SimulatedOpenAiServer server;

  ControlEndpoint(SimulatedOpenAiServer server) {
    this.server = server;
  }

  Reply handle(RecordedRequest rec) {
    switch (rec.method() + " " + rec.path()) {
      case "GET /sim/stats":
        return Reply.ok(OpenAiJson.write(statsJson(server)));
      case "POST /sim/reset":
        server.resetStats();
        return Reply.ok(OpenAiJson.write(statsJson(server)));
      case "POST /sim/config":
        return configure(rec.json());
      default:
        return Reply.error(404, "no route for " + rec.method() + " " + rec.path());
    }
  }

  private Reply configure(JsonNode j) {
    if (j == null || !j.isObject()) {
      return Reply.error(400, "POST /sim/config needs a JSON object");
    }
    try {
      if (j.has("latencyMs")) {
        server.setLatency(Duration.ofNanos(Math.round(j.path("latencyMs").asDouble() * 1e6)));
      }
      if (j.has("tokenDelayMicros")) {
        server.setTokenDelay(
            Duration.ofNanos(Math.round(j.path("tokenDelayMicros").asDouble() * 1e3)));
      }
      if (j.has("rewardLatencyMs")) {
        server.setRewardLatency(
            Duration.ofNanos(Math.round(j.path("rewardLatencyMs").asDouble() * 1e6)));
      }
      if (j.has("slowProbability")) {
        applySlow(server, j.path("slowProbability").asDouble(), j.path("slowFactor").asDouble(10));
      }
      if (j.has("streamMode")) {
        server.setStreamMode(StreamMode.valueOf(j.path("streamMode").asText()
            .toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
      }
      if (j.has("nMode")) {
        server.setNMode(NMode.valueOf(j.path("nMode").asText().toUpperCase(java.util.Locale.ROOT)));
      }
    } catch (IllegalArgumentException e) {
      return Reply.error(400, "bad /sim/config value: " + e.getMessage());
    }
    return Reply.ok("{\"ok\":true}");
  }

  /**
   * Makes one request in {@code 1/probability} on the chat and reward paths {@code factor} times
   * slower than the base latency, replacing their fault plans.
   */
  static void applySlow(SimulatedOpenAiServer server, double probability, double factor) {
    if (!(factor >= 1)) {
      throw new IllegalArgumentException("slowFactor must be >= 1, got " + factor);
    }
    long chatExtra = Math.round(server.latencyNanos() * (factor - 1));
    long rewardExtra = Math.round(server.rewardLatencyNanos() * (factor - 1));
    FaultPlan chat = server.chatFaults();
    chat.clear();
    if (probability > 0) {
      chat.withProbability(probability, Fault.delay(Duration.ofNanos(chatExtra)));
    }
    for (String path : SimulatedOpenAiServer.REWARD_PATHS) {
      FaultPlan p = server.faults(path);
      p.clear();
      if (probability > 0) {
        p.withProbability(probability, Fault.delay(Duration.ofNanos(rewardExtra)));
      }
    }
  }

  static ObjectNode statsJson(ServerStats s) {
    ObjectNode root = OpenAiJson.NODES.objectNode();
    root.put("requests", s.requests());
    root.put("inFlight", s.inFlight());
    root.put("maxInFlight", s.maxInFlight());
    root.put("faultsInjected", s.faultsInjected());
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      root.put("processCpuNanos", os.getProcessCpuTime());
    }
    ObjectNode byPath = root.putObject("requestsByPath");
    s.requestsByPath().forEach(byPath::put);
    ObjectNode delays = root.putObject("delayNanosByPath");
    s.delayNanosByPath().forEach(delays::put);
    ObjectNode first = root.putObject("firstArrivalEpochMillis");
    s.firstArrivalEpochMillisByPath().forEach(first::put);
    return root;
  }

  /** The stats with the chat prompt tokens and those served from the prefix cache. */
  static ObjectNode statsJson(SimulatedOpenAiServer server) {
    ObjectNode root = statsJson(server.stats());
    root.put("promptTokens", server.promptTokens());
    root.put("cachedTokens", server.cachedTokens());
    return root;
  }
}
