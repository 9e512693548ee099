package dev.tpo.benchmarks;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The baseline of the overhead measure: the very HTTP requests one TPO run made (recorded by the
 * simulator), sent again in the same order with the bare OpenAI SDK's asynchronous client (chat)
 * and bare OkHttp, the SDK's transport (reward endpoints), each run a chain of dependent requests
 * like a TPO run; the reward requests of one scoring round go out together, as TPO sends them.
 *
 * <p>Thread-safe.
 */
final class SdkReplay implements RunDriver {
  private static final MediaType JSON = MediaType.get("application/json");
  private final OpenAIClientAsync client;
  private final OkHttpClient http;
  private final String baseUrl;
  private final List<Step> steps = new ArrayList<>();

  /** One chat request, or the reward requests of one scoring round (sent concurrently). */
  private record Step(ChatCompletionCreateParams chat, String path, List<String> bodies) {}

  /**
   * Prepares the replay of the recorded requests.
   *
   * @param baseUrl the server's base URL ({@code http://host:port})
   * @param recorded the requests of one run, in order
   */
  SdkReplay(String baseUrl, List<RecordedRequest> recorded) {
    this.baseUrl = baseUrl;
    for (RecordedRequest r : recorded) {
      if (r.path().equals(SimulatedOpenAiServer.CHAT_PATH)) {
        try {
          ChatCompletionCreateParams.Body body = ObjectMappers.jsonMapper()
              .readValue(r.body(), ChatCompletionCreateParams.Body.class);
          steps.add(new Step(ChatCompletionCreateParams.builder().body(body).build(), null, null));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read recorded chat body: " + r.body(), e);
        }
      } else if (!steps.isEmpty() && steps.get(steps.size() - 1).chat() == null) {
        steps.get(steps.size() - 1).bodies().add(r.body());
      } else {
        List<String> bodies = new ArrayList<>();
        bodies.add(r.body());
        steps.add(new Step(null, r.path(), bodies));
      }
    }
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(4096);
    dispatcher.setMaxRequestsPerHost(4096);
    this.http = new OkHttpClient.Builder().dispatcher(dispatcher)
        .readTimeout(Duration.ofMinutes(10)).build();
    this.client = OpenAIOkHttpClientAsync.builder().baseUrl(baseUrl + "/v1").apiKey("no-key")
        .maxRetries(0).build();
  }

  /** @return how many chat requests one run replays */
  long chatRequests() {
    return steps.stream().filter(s -> s.chat() != null).count();
  }

  /** @return how many requests one run replays */
  int requests() {
    return steps.stream().mapToInt(s -> s.chat() != null ? 1 : s.bodies().size()).sum();
  }

  @Override
  public CompletableFuture<?> start(String prompt) {
    CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
    for (Step s : steps) {
      chain = chain.thenCompose(ignored -> s.chat() != null
          ? client.chat().completions().create(s.chat()).thenApply(c -> (Void) null)
          : postAll(s.path(), s.bodies()));
    }
    return chain;
  }

  private CompletableFuture<Void> postAll(String path, List<String> bodies) {
    CompletableFuture<?>[] all = new CompletableFuture<?>[bodies.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = post(path, bodies.get(i));
    }
    return CompletableFuture.allOf(all);
  }

  private CompletableFuture<Integer> post(String path, String body) {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    Request request = new Request.Builder().url(baseUrl + path)
        .post(RequestBody.create(body, JSON)).build();
    http.newCall(request).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        done.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (ResponseBody b = response.body()) {
          done.complete(b == null ? 0 : b.string().length());
        } catch (IOException e) {
          done.completeExceptionally(e);
        }
      }
    });
    return done;
  }

  @Override
  public String name() {
    return "bare OpenAI SDK";
  }

  @Override
  public void close() {
    client.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
