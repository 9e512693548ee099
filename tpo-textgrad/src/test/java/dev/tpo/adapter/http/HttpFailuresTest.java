package dev.tpo.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.HttpStatusException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.error.TpoException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpFailuresTest {
  private static final String KEY = "sk-live-abcdef";

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      "400, BadRequestException, false",
      "401, AuthenticationException, false",
      "403, AuthenticationException, false",
      "404, ModelNotFoundException, false",
      "413, BadRequestException, false",
      "422, BadRequestException, false",
      "408, ServerErrorException, true",
      "429, RateLimitedException, true",
      "500, ServerErrorException, true",
      "502, ServerErrorException, true",
      "503, ServerErrorException, true"})
  void mapsEveryStatus(int status, String type, boolean retryable) {
    TpoException e = HttpFailures.fromStatus("call to http://h:1/x", status,
        "{\"error\":\"echoing " + KEY + "\"}", null, KEY);
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.isRetryable()).isEqualTo(retryable);
    assertThat(((HttpStatusException) e).statusCode()).isEqualTo(status);
    assertThat(((HttpStatusException) e).responseBody()).contains("echoing ***").doesNotContain(KEY);
    assertThat(e.getMessage()).contains("HTTP " + status).contains("http://h:1/x")
        .doesNotContain(KEY);
  }

  @Test
  void keepsTheTypesOfTheCoreHierarchy() {
    assertThat(HttpFailures.fromStatus("x", 401, "", null, null))
        .isInstanceOf(AuthenticationException.class);
    assertThat(HttpFailures.fromStatus("x", 404, "", null, null))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(HttpFailures.fromStatus("x", 418, "", null, null))
        .isInstanceOf(BadRequestException.class);
    assertThat(HttpFailures.fromStatus("x", 599, "", null, null))
        .isInstanceOf(ServerErrorException.class);
  }

  @Test
  void rateLimitKeepsRetryAfterInSecondsOrAsADate() {
    RateLimitedException seconds =
        (RateLimitedException) HttpFailures.fromStatus("x", 429, "", "1.5", null);
    assertThat(seconds.retryAfter()).contains(Duration.ofMillis(1500));

    String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME
        .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
    Duration fromDate = HttpFailures.parseRetryAfter(inAMinute).orElseThrow();
    assertThat(fromDate).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));

    assertThat(HttpFailures.parseRetryAfter("soon")).isEmpty();
    assertThat(HttpFailures.parseRetryAfter(null)).isEmpty();
    assertThat(((RateLimitedException) HttpFailures.fromStatus("x", 429, "", null, null))
        .retryAfter()).isEmpty();
  }

  @Test
  void longBodiesAreShortenedInTheMessageButKeptWhole() {
    String body = "x".repeat(2000);
    TpoException e = HttpFailures.fromStatus("x", 500, body, null, null);
    assertThat(e.getMessage()).hasSizeLessThan(800);
    assertThat(((HttpStatusException) e).responseBody()).isEqualTo(body);
  }
}
