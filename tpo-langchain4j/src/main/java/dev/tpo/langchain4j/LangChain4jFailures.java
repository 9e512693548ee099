package dev.tpo.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.NonRetryableException;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.RetryableException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.error.TpoException;
import java.io.IOException;

/** Translates langchain4j's exceptions into TPO's, keeping retryability. Stateless; thread-safe. */
final class LangChain4jFailures {
  private LangChain4jFailures() {}

  static TpoException translate(String model, Throwable error) {
    Throwable e = Futures.unwrap(error);
    if (e instanceof TpoException) {
      return (TpoException) e;
    }
    HttpException http = find(e, HttpException.class);
    int status = http == null ? -1 : http.statusCode();
    String body = http == null || http.getMessage() == null ? "" : http.getMessage();
    String what = "langchain4j model '" + model + "' failed with " + e.getClass().getName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
    if (e instanceof AuthenticationException) {
      return new dev.tpo.core.error.AuthenticationException(
          what + "; check the API key the ChatModel was built with", or(status, 401), body, e);
    }
    if (e instanceof ModelNotFoundException) {
      return new dev.tpo.core.error.ModelNotFoundException(
          what + "; check the model name the ChatModel was built with", or(status, 404), body, e);
    }
    if (e instanceof RateLimitException) {
      return new RateLimitedException(what + "; lower the concurrency or retry later",
          or(status, 429), body, null, e);
    }
    if (e instanceof InvalidRequestException || e instanceof UnsupportedFeatureException
        || e instanceof ContentFilteredException) {
      return new BadRequestException(what, or(status, 400), body, e);
    }
    if (e instanceof InternalServerException) {
      return new ServerErrorException(what, or(status, 500), body, e);
    }
    if (e instanceof TimeoutException || find(e, IOException.class) != null) {
      return new ConnectionFailedException(what + "; check that the model's server is reachable", e);
    }
    if (e instanceof RetriableException || status >= 500) {
      return new RetryableException(what, e);
    }
    return new NonRetryableException(what, e);
  }

  private static int or(int status, int fallback) {
    return status > 0 ? status : fallback;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
