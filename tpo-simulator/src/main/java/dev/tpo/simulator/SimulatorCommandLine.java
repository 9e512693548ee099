package dev.tpo.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/** Parses the standalone simulator's arguments and runs it; see {@link SimulatedOpenAiServer}. */
final class SimulatorCommandLine {
  private SimulatorCommandLine() {}

  static final String USAGE = String.join("\n",
      "Usage: tpo simulator [--port PORT] [--models A,B] [--reward-models R] [--api-key KEY]",
      "                     [--latency-ms MS] [--token-delay-us US] [--reward-latency-ms MS]",
      "                     [--n-mode honor|ignore|refuse] [--words N] [--seed SEED]",
      "                     [--stream-mode honor|refuse-n|first-only]",
      "                     [--slow-probability P] [--slow-factor F]",
      "                     [--fault-probability P] [--fault-status STATUS]",
      "                     [--fault-mix P] [--answer-any-model] [--reject-response-format]",
      "                     [--record-requests] [--backlog N] [--exit-on-stdin-eof]",
      "                     [--prefix-cache-blocks N] [--prefill-delay-us US]",
      "A simulated OpenAI-compatible server (chat completions, /v1/models) with reward endpoints",
      "(/pooling, /classify, /predict) and fault injection, to try tpo without a GPU.",
      "  --port PORT              port on 127.0.0.1 (default 0: any free port)",
      "  --fault-probability P    answer P of the chat requests with --fault-status (503)",
      "  --fault-mix P            inject every fault kind, each into about P of the requests it",
      "                           applies to (chat and reward), mixed",
      "  --answer-any-model       answer any model name (as llama-server does)",
      "  --stream-mode M          stream=true: honor (every choice), refuse-n (HTTP 400 when",
      "                           n > 1) or first-only (only choice 0 is streamed)",
      "  --reject-response-format answer response_format with HTTP 400 (as llama-server may)",
      "  --prefix-cache-blocks N  model a prefix cache of N blocks of 16 tokens (vLLM-like, LRU);",
      "                           responses report usage.prompt_tokens_details.cached_tokens",
      "  --prefill-delay-us US    prefill time per prompt token not served from the cache",
      "  --backlog N              listen backlog (default 4096); a small one drops the SYNs of",
      "                           a burst of new connections, which clients resend after 1 s",
      "It prints 'SimulatedOpenAiServer listening on URL' and serves until stopped.");

  /**
   * Runs the simulator from the command line.
   *
   * @return 0 after a clean stop (or --help), 2 on a bad argument or a port in use
   */
  static int main(String[] args, java.io.PrintStream out, java.io.PrintStream err)
      throws InterruptedException, IOException {
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args)
        .contains("-h")) {
      out.println(USAGE);
      return 0;
    }
    try {
      run(args);
      return 0;
    } catch (java.io.UncheckedIOException e) {
      String why = e.getCause() instanceof java.net.BindException
          ? "the port is in use (" + e.getCause().getMessage() + ")" : String.valueOf(e.getCause());
      err.println("tpo simulator: " + e.getMessage().replace(" (choose another port",
          ": " + why + " (choose another port"));
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("tpo simulator: " + e.getMessage() + "\nTry 'tpo simulator --help'.");
      return 2;
    }
  }

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
    double faultMix = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--exit-on-stdin-eof")) {
        exitOnEof = true;
        continue;
      }
      if (a.equals("--answer-any-model")) {
        b.answerAnyModel(true);
        continue;
      }
      if (a.equals("--reject-response-format")) {
        b.rejectResponseFormat(true);
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
      try {
        switch (a) {
          case "--port":
            b.port(Integer.parseInt(v));
            break;
          case "--backlog":
            b.backlog(Integer.parseInt(v));
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
          case "--stream-mode":
            b.streamMode(StreamMode.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_')));
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
          case "--fault-mix":
            faultMix = Double.parseDouble(v);
            break;
          case "--prefix-cache-blocks":
            b.prefixCacheBlocks(Integer.parseInt(v));
            break;
          case "--prefill-delay-us":
            b.prefillDelay(Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e3)));
            break;
          default:
            throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(a + " needs a number, got '" + v + "'");
      }
    }
    SimulatedOpenAiServer server = b.start();
    if (slowProbability > 0) {
      ControlEndpoint.applySlow(server, slowProbability, slowFactor);
    }
    if (faultProbability > 0) {
      server.chatFaults().withProbability(faultProbability, Fault.status(faultStatus));
    }
    if (faultMix > 0) {
      FaultMix.apply(server, faultMix, java.time.Duration.ofSeconds(3));
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
