package dev.tpo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for the simulator's own tests. Thread-safe. */
final class SimHttp {
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final SimulatedOpenAiServer server;

  SimHttp(SimulatedOpenAiServer server) {
    this.server = server;
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return post(path, json, Duration.ofSeconds(20));
  }

  HttpResponse<String> post(String path, String json, Duration timeout)
      throws IOException, InterruptedException {
    return client.send(request(path, json, timeout), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
    return client.sendAsync(request(path, json, Duration.ofSeconds(20)),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest r = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .timeout(Duration.ofSeconds(20)).GET().build();
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String path, String json, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return OpenAiJson.MAPPER.readTree(response.body());
  }

  static String chatBody(String model, int n, String user) {
    return "{\"model\":\"" + model + "\",\"n\":" + n + ",\"seed\":7,\"messages\":["
        + "{\"role\":\"system\",\"content\":\"be helpful\"},"
        + "{\"role\":\"user\",\"content\":" + OpenAiJson.NODES.textNode(user) + "}]}";
  }
}
