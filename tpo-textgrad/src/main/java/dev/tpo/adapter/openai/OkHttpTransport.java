package dev.tpo.adapter.openai;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.RetryingHttpClient;
import com.openai.errors.OpenAIIoException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;

/**
 * The OpenAI SDK's {@link HttpClient} contract on the adapter's own OkHttp client, so that plain
 * chat requests go through the SDK's {@code RetryingHttpClient} (its retry rules, {@code
 * Retry-After} and {@code X-Should-Retry} handling, backoff) without the SDK's service layer,
 * which finds each request's model by Kotlin reflection ({@code PrepareRequest.modelNameOrNull}:
 * about 0.3 s of CPU for its first call, issue 21) and builds a new OkHttp client per call.
 *
 * <p>The request's timeouts are the OkHttp client's own (set once by {@link
 * ChatSender#transport}); {@link RequestOptions} are not consulted. An I/O failure completes the
 * future with {@link OpenAIIoException}, as the SDK's own transport does, so the SDK retries it.
 * {@link #close()} does nothing: the model that made the OkHttp client shuts it down.
 *
 * <p>Thread-safe: OkHttp's client is.
 */
final class OkHttpTransport implements HttpClient {
  private final OkHttpClient http;

  OkHttpTransport(OkHttpClient http) {
    this.http = http;
  }

  /**
   * The SDK's retrying client on an OkHttp client: what the SDK's own client stacks under its
   * services, without them.
   *
   * @param http the OkHttp client
   * @param sleeper waits between retries
   * @param maxRetries retries after the first attempt
   * @return the client
   */
  static HttpClient retrying(OkHttpClient http, RetrySleeper sleeper, int maxRetries) {
    return RetryingHttpClient.builder()
        .httpClient(new OkHttpTransport(http))
        .sleeper(new SdkSleeper(sleeper))
        .clock(Clock.systemUTC())
        .maxRetries(maxRetries)
        .build();
  }

  /**
   * The first {@code Retry-After} header of an answer.
   *
   * @param response the answer
   * @return the value, or null
   */
  static String retryAfter(HttpResponse response) {
    List<String> values = response.headers().values("Retry-After");
    return values.isEmpty() ? null : values.get(0);
  }

  @Override
  public HttpResponse execute(HttpRequest request, RequestOptions requestOptions) {
    try {
      return response(http.newCall(request(request)).execute());
    } catch (IOException e) {
      throw new OpenAIIoException("Request failed", e);
    }
  }

  @Override
  public CompletableFuture<HttpResponse> executeAsync(HttpRequest request,
      RequestOptions requestOptions) {
    CompletableFuture<HttpResponse> future = new CompletableFuture<>();
    Call call;
    try {
      call = http.newCall(request(request));
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
      return future;
    }
    future.whenComplete((r, e) -> {
      if (e instanceof CancellationException) {
        call.cancel();
      }
    });
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        HttpResponse r = response(response);
        if (!future.complete(r)) {
          r.close();
        }
      }

      @Override
      public void onFailure(Call c, IOException e) {
        future.completeExceptionally(new OpenAIIoException("Request failed", e));
      }
    });
    return future;
  }

  @Override
  public void close() {
    // the OkHttp client belongs to the model, which shuts it down
  }

  static Request request(HttpRequest request) {
    Request.Builder b = new Request.Builder().url(request.url());
    Headers headers = request.headers();
    for (String name : headers.names()) {
      for (String value : headers.values(name)) {
        b.addHeader(name, value);
      }
    }
    HttpRequestBody body = request.body();
    b.method(request.method().name(), body == null ? null : new Body(body));
    return b.build();
  }

  static HttpResponse response(Response response) {
    Headers.Builder headers = Headers.builder();
    for (String name : response.headers().names()) {
      headers.put(name, response.headers(name));
    }
    Headers built = headers.build();
    ResponseBody body = response.body();
    return new HttpResponse() {
      @Override
      public int statusCode() {
        return response.code();
      }

      @Override
      public Headers headers() {
        return built;
      }

      @Override
      public InputStream body() {
        return body == null ? InputStream.nullInputStream() : body.byteStream();
      }

      @Override
      public void close() {
        response.close();
      }
    };
  }

  /** An SDK request body as OkHttp's. */
  private static final class Body extends RequestBody {
    private final HttpRequestBody body;

    Body(HttpRequestBody body) {
      this.body = body;
    }

    @Override
    public MediaType contentType() {
      String type = body.contentType();
      return type == null ? null : MediaType.parse(type);
    }

    @Override
    public long contentLength() {
      return body.contentLength();
    }

    @Override
    public void writeTo(BufferedSink sink) {
      body.writeTo(sink.outputStream());
    }
  }
}
