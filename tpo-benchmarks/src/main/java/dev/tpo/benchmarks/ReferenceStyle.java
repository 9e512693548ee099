package dev.tpo.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.LanguageModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The reference implementation's structure, rebuilt on the same policy client for comparison: per
 * query, strictly sequential blocking calls (one sampling request with {@code n = N}, then per
 * round loss, gradient and update), reward scoring one (query, response) pair per HTTP request,
 * one after another; queries on a pool of {@code threads} threads in chunks of {@code 4 * threads}
 * with a barrier after each chunk. Prompts are short stand-ins: only the call structure matters.
 *
 * <p>Thread-safe.
 */
final class ReferenceStyle {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LanguageModel policy;
  private final String rewardUrl;
  private final int depth;
  private final int samples;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  ReferenceStyle(LanguageModel policy, String rewardBaseUrl, int depth, int samples) {
    this.policy = policy;
    this.rewardUrl = rewardBaseUrl + "/pooling";
    this.depth = depth;
    this.samples = samples;
  }

  /**
   * Runs one query the reference's way.
   *
   * @param query the query
   * @return the best response
   */
  String run(String query) {
    List<String> pool = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    List<String> sampled = policy.chat(ChatRequest.builder().system("You are helpful.").user(query)
        .n(samples).temperature(0.7).topP(0.95).seed(7L).maxTokens(2048).build()).texts();
    addScored(query, sampled, pool, scores);
    for (int round = 0; round < depth; round++) {
      String chosen = pool.get(argBest(scores, true));
      String rejected = pool.get(argBest(scores, false));
      String loss = policy.chat(ChatRequest.builder()
          .system("Compare the chosen response with the rejected one for the query: " + query
              + "\nRejected: " + rejected)
          .user(chosen).build()).text();
      String gradient = policy.chat(ChatRequest.builder()
          .system("You give feedback on a variable.")
          .user("Variable: " + chosen + "\nEvaluation: " + loss + "\nHow can it improve?")
          .build()).text();
      List<String> updated = policy.chat(ChatRequest.builder()
          .system("You improve variables.")
          .user("Variable: " + chosen + "\nFeedback: " + gradient
              + "\nWrite the improved variable between <NEW_VALUE> and </NEW_VALUE>.")
          .n(samples).temperature(0.7).topP(0.95).seed(7L).maxTokens(2048).build()).texts();
      List<String> parsed = new ArrayList<>();
      for (String u : updated) {
        int s = u.indexOf("<NEW_VALUE>");
        if (s >= 0) {
          int e = u.indexOf("</NEW_VALUE>", s);
          parsed.add(e < 0 ? u.substring(s + 11) : u.substring(s + 11, e));
        }
      }
      addScored(query, parsed, pool, scores);
    }
    return pool.get(argBest(scores, true));
  }

  /**
   * Runs every query in chunks of {@code 4 * threads} with a barrier after each chunk.
   *
   * @param queries the queries
   * @param threads the pool size
   * @return the wall time in nanoseconds
   */
  long runAll(List<String> queries, int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    try {
      int chunk = 4 * threads;
      for (int from = 0; from < queries.size(); from += chunk) {
        List<Callable<String>> tasks = new ArrayList<>();
        for (String q : queries.subList(from, Math.min(queries.size(), from + chunk))) {
          tasks.add(() -> run(q));
        }
        for (Future<String> f : pool.invokeAll(tasks)) {
          f.get();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reference-style run failed: " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
    }
    return System.nanoTime() - t0;
  }

  private void addScored(String query, List<String> responses, List<String> pool,
      List<Double> scores) {
    for (String r : responses) {
      if (!pool.contains(r)) {
        pool.add(r);
        scores.add(scoreOne(query, r));
      }
    }
  }

  private double scoreOne(String query, String response) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", "sim-reward");
    var messages = body.putArray("messages");
    messages.addObject().put("role", "user").put("content", query);
    messages.addObject().put("role", "assistant").put("content", response);
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rewardUrl))
          .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body()).at("/data/0/data/0").asDouble();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int argBest(List<Double> scores, boolean max) {
    int best = 0;
    for (int i = 1; i < scores.size(); i++) {
      if (max ? scores.get(i) > scores.get(best) : scores.get(i) < scores.get(best)) {
        best = i;
      }
    }
    return best;
  }
}
