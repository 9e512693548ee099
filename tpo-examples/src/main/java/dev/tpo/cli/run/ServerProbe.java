package dev.tpo.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.ServerErrorException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One probe of the policy server before a run: {@code GET <api root>/models}, so a dead server, a
 * wrong URL, a refused key or a wrong model name stop the run within seconds with a message naming
 * the URL and the fix, instead of failing every prompt.
 *
 * <p>Stateless; thread-safe.
 */
public final class ServerProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private ServerProbe() {}

  /**
   * The API root: the URL as given when its path ends with a version segment ({@code /v1}), else
   * with {@code /v1} appended; trailing slashes removed.
   *
   * @param baseUrl for example {@code http://localhost:8000} or {@code http://localhost:8000/v1/}
   * @return for example {@code http://localhost:8000/v1}
   */
  public static String apiRoot(String baseUrl) {
    String s = baseUrl.trim();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.matches(".*/v\\d+") ? s : s + "/v1";
  }

  /**
   * Finds the model to use: the one asked for, checked against the server's list, or the server's
   * only model when none was asked for.
   *
   * @param baseUrl the policy server's base URL
   * @param apiKey the API key, if any (sent as a bearer token, never shown)
   * @param model the model asked for, if any
   * @return the model name to use
   * @throws ConnectionFailedException when the server cannot be reached (the message names the
   *     URL)
   * @throws AuthenticationException when the server refuses the key
   * @throws ModelNotFoundException when the model is not served, or none was asked for and the
   *     server serves several
   */
  public static String resolveModel(String baseUrl, Optional<String> apiKey,
      Optional<String> model) {
    String url = apiRoot(baseUrl) + "/models";
    HttpRequest.Builder req;
    try {
      req = HttpRequest.newBuilder(new URI(url)).timeout(REQUEST_TIMEOUT).GET();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ConfigurationException(
          "--base-url " + baseUrl + " is not a valid URL; write it like http://localhost:8000/v1",
          e);
    }
    apiKey.ifPresent(k -> req.header("Authorization", "Bearer " + k));
    HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpResponse<String> res;
    try {
      res = client.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw down(url, "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
    } catch (HttpTimeoutException e) {
      throw down(url, "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw down(url, "connection refused", e);
    } catch (IOException e) {
      throw down(url, e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw down(url, "interrupted", e);
    }
    int status = res.statusCode();
    String body = res.body() == null ? "" : res.body();
    String excerpt = body.length() > 300 ? body.substring(0, 300) + "..." : body;
    if (status == 401 || status == 403) {
      throw new AuthenticationException(
          "the policy server at " + url + " refused the API key (HTTP " + status
              + "); pass the right key with --api-key or TPO_API_KEY", status, body);
    }
    if (status == 404) {
      if (model.isPresent()) {
        return model.get();
      }
      throw new ModelNotFoundException(
          url + " answered HTTP 404: is " + baseUrl + " the OpenAI-compatible base URL (it"
              + " usually ends in /v1)? Or pass --model to skip the model list", status, body);
    }
    if (status < 200 || status >= 300) {
      throw new ServerErrorException(
          "the policy server at " + url + " answered HTTP " + status + ": " + excerpt
              + "; check the server's log", status, body);
    }
    List<String> served = new ArrayList<>();
    try {
      JsonNode data = JSON.readTree(body).path("data");
      for (JsonNode m : data) {
        if (m.hasNonNull("id")) {
          served.add(m.get("id").asText());
        }
      }
    } catch (IOException e) {
      throw new MalformedResponseException(
          url + " did not answer with a JSON model list: " + excerpt
              + "; is it an OpenAI-compatible server?", body, e);
    }
    if (model.isPresent()) {
      if (!served.isEmpty() && !served.contains(model.get())) {
        throw new ModelNotFoundException(
            "the policy server at " + baseUrl + " does not serve the model '" + model.get()
                + "'; it serves " + served + ". Pass one of them with --model", 404, body);
      }
      return model.get();
    }
    if (served.size() == 1) {
      return served.get(0);
    }
    throw new ModelNotFoundException(
        served.isEmpty()
            ? "the policy server at " + baseUrl + " lists no model; pass --model NAME"
            : "the policy server at " + baseUrl + " serves several models " + served
                + "; choose one with --model",
        404, body);
  }

  private static ConnectionFailedException down(String url, String why, Throwable cause) {
    return new ConnectionFailedException(
        "cannot reach the policy server at " + url + " (" + why + "). Start it (for example"
            + " vllm serve MODEL --port 8000) or point --base-url at it", cause);
  }
}
