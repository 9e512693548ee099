package dev.tpo.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/** Parses the standalone simulator's arguments and runs it; see {@link SimulatedOpenAiServer}. */
final class SimulatorCommandLine {
  private SimulatorCommandLine() {}

  static void run(String[] args) throws InterruptedException, IOException {
    // Standalone, it also grades the judge scorer's rating requests, so that `tpo run` with its
    // default reward (judge) works against it.
    SimulatedOpenAiServer.Builder b = SimulatedOpenAiServer.builder().recordRequests(false)
        .responder(ChatResponder.grading(ChatResponder.deterministic()));
    boolean exitOnEof = false;
    double slowProbability = 0;
    double slowFactor = 10;
    double faultProbability = 0;
    int faultStatus = 503;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--exit-on-stdin-eof")) {
        exitOnEof = true;
        continue;
      }
      if (a.equals("--record-requests")) {
        b.recordRequests(true);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--port":
          b.port(Integer.parseInt(v));
          break;
        case "--latency-ms":
          b.latency(millis(v));
          break;
        case "--token-delay-us":
          b.tokenDelay(Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e3)));
          break;
        case "--reward-latency-ms":
          b.rewardLatency(millis(v));
          break;
        case "--models":
          b.models(v.split(","));
          break;
        case "--reward-models":
          b.rewardModels(v.split(","));
          break;
        case "--n-mode":
          b.nMode(NMode.valueOf(v.toUpperCase(Locale.ROOT)));
          break;
        case "--words":
          b.responder(ChatResponder.grading(ChatResponder.deterministic(Integer.parseInt(v))));
          break;
        case "--seed":
          b.seed(Long.parseLong(v));
          break;
        case "--api-key":
          b.requireApiKey(v);
          break;
        case "--slow-probability":
          slowProbability = Double.parseDouble(v);
          break;
        case "--slow-factor":
          slowFactor = Double.parseDouble(v);
          break;
        case "--fault-probability":
          faultProbability = Double.parseDouble(v);
          break;
        case "--fault-status":
          faultStatus = Integer.parseInt(v);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + a
              + "; see the Javadoc of dev.tpo.simulator.SimulatedOpenAiServer for the options");
      }
    }
    SimulatedOpenAiServer server = b.start();
    if (slowProbability > 0) {
      ControlEndpoint.applySlow(server, slowProbability, slowFactor);
    }
    if (faultProbability > 0) {
      server.chatFaults().withProbability(faultProbability, Fault.status(faultStatus));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sim-openai-shutdown"));
    System.out.println("SimulatedOpenAiServer listening on " + server.baseUrl());
    System.out.flush();
    if (exitOnEof) {
      InputStream in = System.in;
      while (in.read() >= 0) {
        // drain until the parent closes our standard input
      }
      server.close();
      return;
    }
    new CountDownLatch(1).await();
  }

  private static Duration millis(String v) {
    return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e6));
  }
}
