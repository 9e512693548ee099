package dev.tpo.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulated server ({@code dev.tpo.simulator.SimulatedOpenAiServer}) in its own JVM, so its CPU
 * time and heap never count in the measures, controlled over its {@code /sim/...} paths.
 *
 * <p>Thread-safe for {@link #configure}, {@link #stats} and {@link #reset}; close it when done.
 */
final class SimulatorProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private SimulatorProcess(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /**
   * Starts the simulator.
   *
   * @param args the simulator's options (see its Javadoc)
   * @return the running process
   */
  static SimulatorProcess start(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xss256k");
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.tpo.simulator.SimulatedOpenAiServer");
    cmd.add("--exit-on-stdin-eof");
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.contains("http://")) {
        p.destroyForcibly();
        throw new IllegalStateException("the simulator did not start; it printed: " + line);
      }
      return new SimulatorProcess(p, line.substring(line.indexOf("http://")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the simulator: " + cmd, e);
    }
  }

  /** @return {@code http://127.0.0.1:PORT} */
  String baseUrl() {
    return baseUrl;
  }

  /**
   * Changes latency settings ({@code latencyMs}, {@code tokenDelayMicros}, {@code rewardLatencyMs},
   * {@code slowProbability}, {@code slowFactor}, {@code nMode}).
   *
   * @param settings the settings
   */
  void configure(Map<String, Object> settings) {
    try {
      post("/sim/config", JSON.writeValueAsString(settings));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the server's counters as JSON */
  JsonNode stats() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/sim/stats"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Zeroes the counters. */
  void reset() {
    post("/sim/reset", "{}");
  }

  private void post(String path, String body) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body))
              .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the server's JVM at once (SIGKILL), as a crashed or preempted host would die. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
