package dev.tpo.adapter.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import dev.tpo.adapter.http.HttpFailures;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.TpoException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;

/**
 * Maps what the OpenAI SDK throws, unwrapped from future wrappers, onto the {@code
 * dev.tpo.core.error} hierarchy. HTTP failures keep status and body (API key redacted) and carry no
 * SDK cause, whose message holds the unredacted body. Stateless; thread-safe.
 */
final class SdkFailures {
  private SdkFailures() {}

  /**
   * The tpo-core exception for an SDK failure.
   *
   * @param failure what the SDK future failed with
   * @param what the operation and endpoint, for messages (no credential)
   * @param apiKey the key to keep out of messages, or null
   * @param attempts how many attempts the SDK made at most, for messages
   * @return a {@link TpoException}, or the failure itself when it is not the SDK's (an Error or
   *     an unexpected RuntimeException is passed through)
   */
  static Throwable map(Throwable failure, String what, String apiKey, int attempts) {
    return map(failure, what, apiKey, attempts, null);
  }

  /**
   * The tpo-core exception for an SDK failure, with the caller's hint for an HTTP 404.
   *
   * @param failure what the SDK future failed with
   * @param what the operation and endpoint, for messages (no credential)
   * @param apiKey the key to keep out of messages, or null
   * @param attempts how many attempts the SDK made at most, for messages
   * @param notFoundHint what to check on a 404, or null for the default hint
   * @return a {@link TpoException}, or the failure itself when it is not the SDK's
   */
  static Throwable map(Throwable failure, String what, String apiKey, int attempts,
      String notFoundHint) {
    Throwable t = Futures.unwrap(failure);
    if (t instanceof TpoException) {
      return t;
    }
    if (t instanceof OpenAIServiceException) {
      OpenAIServiceException e = (OpenAIServiceException) t;
      List<String> retryAfter = e.headers().values("Retry-After");
      String after = retryAfter.isEmpty() ? null : retryAfter.get(0);
      return notFoundHint == null
          ? HttpFailures.fromStatus(what, e.statusCode(), bodyText(e.body()), after, apiKey)
          : HttpFailures.fromStatus(what, e.statusCode(), bodyText(e.body()), after, apiKey,
              notFoundHint);
    }
    if (t instanceof OpenAIIoException || t instanceof IOException
        || t instanceof OpenAIRetryableException) {
      Throwable io = t.getCause() instanceof IOException ? t.getCause() : t;
      String kind = io instanceof InterruptedIOException ? "timed out" : "could not be completed";
      return new ConnectionFailedException(
          what + " " + kind + " after " + attempts + " attempt(s): "
              + Secrets.redact(String.valueOf(io.getMessage()), apiKey)
              + ". Check that the server runs and answers at that URL, or raise the timeout",
          t);
    }
    if (t instanceof OpenAIInvalidDataException) {
      return new MalformedResponseException(
          what + " answered with data the SDK could not read: "
              + Secrets.redact(String.valueOf(t.getMessage()), apiKey), "");
    }
    if (t instanceof OpenAIException) {
      return new MalformedResponseException(
          what + " failed: " + Secrets.redact(String.valueOf(t.getMessage()), apiKey), "");
    }
    return t;
  }

  /**
   * The part of an error answer's body that a message shows, as the SDK shows it: the {@code
   * error} object of a JSON body ({@code {"error": {"message": ...}}}, OpenAI's and vLLM's shape),
   * else the whole body (a proxy's HTML page, a plain-text error) as it came.
   *
   * @param body the raw body
   * @return the text to show; the caller redacts the key
   */
  static String errorBody(String body) {
    try {
      com.fasterxml.jackson.databind.JsonNode root = SdkJson.requests().readTree(body);
      com.fasterxml.jackson.databind.JsonNode error = root == null ? null : root.get("error");
      return error == null ? body : SdkJson.requests().writeValueAsString(error);
    } catch (JsonProcessingException e) {
      return body;
    }
  }

  private static String bodyText(JsonValue body) {
    if (body == null) {
      return "";
    }
    try {
      String json = SdkJson.requests().writeValueAsString(body);
      return "null".equals(json) ? "" : json;
    } catch (JsonProcessingException e) {
      return String.valueOf(body);
    }
  }
}
