package dev.tpo.adapter.openai;

import java.io.IOException;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Recognises a server's refusal of the {@code n} parameter: llama.cpp's HTTP 500 "Only one
 * completion choice is allowed", an OpenAI-style error with {@code "param": "n"}, a validation error
 * whose location ends in {@code "n"}, or a message such as "n must be 1". Stateless; thread-safe.
 *
 * <p>Also an OkHttp interceptor that marks such a 5xx answer with {@code X-Should-Retry: false}, so
 * the SDK does not spend its retries (and their backoff) on a refusal that will not change.
 */
final class NRefusal implements Interceptor {
  private static final Pattern REFUSES_N = Pattern.compile(
      "(?i)only one completion choice"
          + "|\"param\"\\s*:\\s*\"n\""
          + "|[\"']n[\"']\\s*]"
          + "|(?:parameter|field|argument|option)\\s*:?\\s*[\"'`]?n[\"'`]?(?=$|[\\s.,:;)])"
          + "|(?:^|[\\s\"'(`])n\\s*(?:must|should|has to|cannot|can't|is not supported"
          + "|is unsupported|not supported|>|<|=|!=)");
  private static final int PEEK_BYTES = 16 * 1024;

  /**
   * Whether an error answer refuses {@code n}.
   *
   * @param status the HTTP status
   * @param body the error body
   * @return true for a 400, 422 or 5xx whose body names {@code n} as the problem
   */
  static boolean refusesN(int status, String body) {
    boolean plausibleStatus = status == 400 || status == 422 || status >= 500;
    return plausibleStatus && body != null && REFUSES_N.matcher(body).find();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    if (response.code() >= 500 && response.header("X-Should-Retry") == null
        && refusesN(response.code(), response.peekBody(PEEK_BYTES).string())) {
      return response.newBuilder().header("X-Should-Retry", "false").build();
    }
    return response;
  }
}
