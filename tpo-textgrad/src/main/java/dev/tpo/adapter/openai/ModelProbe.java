package dev.tpo.adapter.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpResponse;
import dev.tpo.adapter.http.HttpClientBuilder;
import dev.tpo.adapter.http.HttpFailures;
import dev.tpo.adapter.http.JsonBuffers;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.model.ChatRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks an OpenAI-compatible server before a run: lists the models it serves ({@code GET
 * /v1/models}) and confirms a model name, with messages that say what to fix. An unreachable
 * server is a {@link ConnectionFailedException} naming the URL and why (connection refused, timed
 * out); an unknown model name a {@link ModelNotFoundException} listing the names the server has; a
 * refused key an {@link dev.tpo.core.error.AuthenticationException}; other HTTP failures map like
 * {@link OpenAiCompatibleModel}'s. Each failure kind is its own exception type, so a caller can
 * tell them apart (the {@code tpo} CLI turns them into exit codes).
 *
 * <pre>{@code
 * try (ModelProbe probe = ModelProbe.builder().baseUrl("http://localhost:8000").build()) {
 *   String model = probe.requireModel("Qwen/Qwen2.5-7B-Instruct");
 * }
 * }</pre>
 *
 * <p>Thread-safe; each call makes one blocking request (the SDK's retrying client retries it
 * once on a retryable failure).
 */
public final class ModelProbe implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonBuffers.factory());

  private final HttpClient retrying;
  private final Headers auth;
  private final okhttp3.OkHttpClient http;
  private final String apiRoot;
  private final String apiKey;

  private ModelProbe(String apiRoot, String apiKey, Duration timeout, Duration connectTimeout) {
    this.apiRoot = apiRoot;
    this.apiKey = apiKey;
    // the adapters' own transport: daemon threads, and no TLS set-up for a plain http:// server
    this.http = ChatSender.transport(4, connectTimeout, timeout, timeout,
        apiRoot.regionMatches(true, 0, "http://", 0, 7));
    // the SDK's retrying client without its services, as the chat requests (see ChatSender)
    this.retrying = OkHttpTransport.retrying(http, RetrySleeper.system(), 1);
    Headers.Builder h = Headers.builder();
    if (apiKey != null) {
      h.put("Authorization", "Bearer " + apiKey);
    }
    this.auth = h.build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The ids of the models the server serves, in the server's order.
   *
   * @return the ids, possibly empty
   * @throws ConnectionFailedException when no server answers at the URL
   * @throws ModelNotFoundException when the server has no model list there (HTTP 404)
   * @throws TpoException another HTTP failure, mapped like {@link OpenAiCompatibleModel}'s
   */
  public List<String> models() {
    String what = "model list at " + apiRoot + "/models";
    String body;
    HttpRequest request = HttpRequest.builder().method(HttpMethod.GET).baseUrl(apiRoot)
        .addPathSegments("models").putAllHeaders(auth).build();
    try (HttpResponse raw = retrying.execute(request, RequestOptions.none());
        InputStream in = raw.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (raw.statusCode() >= 300) {
        throw HttpFailures.fromStatus(what, raw.statusCode(), SdkFailures.errorBody(body),
            OkHttpTransport.retryAfter(raw), apiKey,
            "Is the base URL the server's OpenAI-compatible API root (it usually ends in /v1)?");
      }
    } catch (IOException e) {
      throw new ConnectionFailedException(what + " broke off while reading: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      Throwable mapped = SdkFailures.map(e, what, apiKey, 2,
          "Is the base URL the server's OpenAI-compatible API root (it usually ends in /v1)?");
      if (mapped instanceof ConnectionFailedException) {
        throw new ConnectionFailedException(
            "no OpenAI-compatible server answers at " + apiRoot + "/models (" + reason(e)
                + "). Start the server (see docs/servers.md) or fix the base URL and port",
            e);
      }
      throw mapped instanceof RuntimeException ? (RuntimeException) mapped : e;
    }
    return parse(body, what);
  }

  /**
   * Confirms that the server serves the model.
   *
   * @param model the model name
   * @return the name, for chaining into {@code OpenAiCompatibleModel.builder().model(...)}
   * @throws ModelNotFoundException listing the names the server has when it is not among them
   */
  public String requireModel(String model) {
    Objects.requireNonNull(model, "model");
    List<String> served = models();
    if (!served.contains(model)) {
      throw notServed(model, served);
    }
    return model;
  }

  /**
   * The model to use for a run: the one asked for, confirmed against the server's list, or, when
   * none was asked for, the server's only model. A named model is trusted when the server has no
   * model list (HTTP 404) or lists no model, as some OpenAI-compatible servers do.
   *
   * @param requested the model asked for, if any
   * @return the model name to use
   * @throws ConnectionFailedException when no server answers at the URL
   * @throws ModelNotFoundException when the named model is not among those listed, or none was
   *     named and the server lists several models, none, or has no model list
   * @throws TpoException another HTTP failure, mapped like {@link OpenAiCompatibleModel}'s
   */
  public String resolveModel(Optional<String> requested) {
    return resolve(requested).model();
  }

  /**
   * What {@link #resolve} found: the model to use and, when the server answered for a model it
   * does not list, a warning to show.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param model the model name to use
   * @param warning a warning for the user, if any
   */
  public record Resolution(String model, Optional<String> warning) {
    /**
     * Validates the fields.
     *
     * @param model the model name to use
     * @param warning a warning for the user, if any
     */
    public Resolution {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(warning, "warning");
    }
  }

  /**
   * Like {@link #resolveModel}, and when the named model is not among those the server lists,
   * sends one minimal chat request (one token) with that name: a server that answers it (llama.cpp's
   * {@code llama-server} lists its model file's path but answers any name) is used, with a warning.
   *
   * @param requested the model asked for, if any
   * @return the model and a warning, if any
   * @throws ConnectionFailedException when no server answers at the URL
   * @throws ModelNotFoundException when the named model is neither listed nor answered for, or
   *     none was named and the server lists several models, none, or has no model list
   * @throws TpoException another HTTP failure, mapped like {@link OpenAiCompatibleModel}'s
   */
  public Resolution resolve(Optional<String> requested) {
    Objects.requireNonNull(requested, "requested");
    List<String> served;
    try {
      served = models();
    } catch (ModelNotFoundException e) {
      if (requested.isPresent()) {
        return new Resolution(requested.get(), Optional.empty());
      }
      throw e;
    }
    if (requested.isPresent()) {
      String name = requested.get();
      if (!served.isEmpty() && !served.contains(name)) {
        if (answersFor(name)) {
          return new Resolution(name, Optional.of("the server at " + apiRoot + " does not list"
              + " the model '" + name + "' (it lists " + served + ") but answered a request"
              + " for it, so the run goes on with that name (llama.cpp's llama-server answers"
              + " any name); check that it is the model you mean"));
        }
        throw notServed(name, served);
      }
      return new Resolution(name, Optional.empty());
    }
    if (served.size() == 1) {
      return new Resolution(served.get(0), Optional.empty());
    }
    throw new ModelNotFoundException(served.isEmpty()
        ? "the server at " + apiRoot + " lists no model; load one or name the model to use"
        : "the server at " + apiRoot + " serves several models " + served
            + "; name the one to use", 404, String.join("\n", served));
  }

  /** Sends one minimal chat request (one token) for the model; true when the server answers it. */
  private boolean answersFor(String model) {
    String what = "chat completion at " + apiRoot + " (model " + model + ")";
    try {
      ChatRequest probe = ChatRequest.builder().user("Say OK.").maxTokens(1).build();
      HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).baseUrl(apiRoot)
          .addPathSegments("chat", "completions").putAllHeaders(auth)
          .body(new ChatSender.JsonBody(() -> ChatWire.body(model, probe, Map.of()))).build();
      try (HttpResponse raw = retrying.execute(request, RequestOptions.none());
          InputStream in = raw.body()) {
        int status = raw.statusCode();
        if (status == 400 || status == 404 || status == 422) {
          return false;
        }
        if (status >= 300) {
          String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          throw HttpFailures.fromStatus(what, status, SdkFailures.errorBody(body),
              OkHttpTransport.retryAfter(raw), apiKey);
        }
        return true;
      }
    } catch (IOException e) {
      throw new ConnectionFailedException(what + " broke off while reading: "
          + Secrets.redact(String.valueOf(e.getMessage()), apiKey), e);
    } catch (RuntimeException e) {
      Throwable mapped = SdkFailures.map(e, what, apiKey, 2);
      throw mapped instanceof RuntimeException ? (RuntimeException) mapped : e;
    }
  }

  private ModelNotFoundException notServed(String model, List<String> served) {
    return new ModelNotFoundException(
        "the server at " + apiRoot + " does not serve the model '" + model + "'; it serves "
            + (served.isEmpty() ? "no model" : served) + ". Use one of these names (vLLM: the"
            + " --served-model-name; Ollama: pull the model first)",
        404, String.join("\n", served));
  }

  /**
   * The model to use when none was named: the first one the server lists.
   *
   * @return the model id
   * @throws ModelNotFoundException when the server lists none
   */
  public String defaultModel() {
    List<String> served = models();
    if (served.isEmpty()) {
      throw new ModelNotFoundException(
          "the server at " + apiRoot + " lists no model; load one (Ollama: ollama pull NAME)",
          404, "");
    }
    return served.get(0);
  }

  private static List<String> parse(String body, String what) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException(
          what + " is not a JSON model list: " + Secrets.snippet(body)
              + ". Is the URL an OpenAI-compatible /v1 endpoint?", body, e);
    }
    JsonNode data = root == null ? null : root.get("data");
    if (data == null || !data.isArray()) {
      throw new MalformedResponseException(
          what + " has no 'data' array: " + Secrets.snippet(body)
              + ". Is the URL an OpenAI-compatible /v1 endpoint?", body);
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode m : data) {
      String id = m.path("id").asText("");
      if (!id.isEmpty()) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }

  /** Why the connection failed, in words: the innermost cause decides. */
  private static String reason(Throwable t) {
    Throwable cur = t;
    while (cur.getCause() != null && cur.getCause() != cur) {
      cur = cur.getCause();
    }
    String detail = cur.getClass().getSimpleName() + ": " + cur.getMessage();
    if (cur instanceof ConnectException) {
      return "connection refused; " + detail;
    }
    if (cur instanceof InterruptedIOException) {
      return "timed out; " + detail;
    }
    return detail;
  }

  /** @return the API root probed, for example {@code http://localhost:8000/v1} */
  public String apiRoot() {
    return apiRoot;
  }

  /** Releases the HTTP client's threads and connections. Idempotent. */
  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "ModelProbe[" + apiRoot + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
  }

  /**
   * Builds a {@link ModelProbe}; {@link #build()} validates. The URL, key and time limit (10
   * seconds by default) are set with the inherited setters. Not thread-safe.
   */
  public static final class Builder extends HttpClientBuilder<Builder> {
    private Duration connectTimeout = Duration.ofSeconds(10);

    private Builder() {
      super(Duration.ofSeconds(10));
    }

    /**
     * Time limit for opening the connection, within {@link #timeout(Duration)}. Defaults to 10
     * seconds.
     *
     * @param connectTimeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return self();
    }

    /**
     * Validates and builds. Does no I/O.
     *
     * @return the probe; close it when done
     * @throws ConfigurationException naming the field and value when one is invalid
     */
    public ModelProbe build() {
      String root = BaseUrls.apiRoot("ModelProbe.baseUrl", baseUrlValue());
      requirePositive("ModelProbe.timeout", timeoutValue());
      requirePositive("ModelProbe.connectTimeout", connectTimeout);
      return new ModelProbe(root, apiKeyValue(), timeoutValue(), connectTimeout);
    }
  }
}
