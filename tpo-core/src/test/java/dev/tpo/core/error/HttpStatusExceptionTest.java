package dev.tpo.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpStatusExceptionTest {

  @Test
  void everyHttpFailureKeepsStatusAndBodyInTheOneBase() {
    List<HttpStatusException> all = List.of(
        new RateLimitedException("429", 429, "slow", Duration.ofSeconds(2), null),
        new ServerErrorException("503", 503, "busy"),
        new BadRequestException("400", 400, "bad"),
        new AuthenticationException("401", 401, "who"),
        new ModelNotFoundException("404", 404, "none"));
    assertThat(all).extracting(HttpStatusException::statusCode)
        .containsExactly(429, 503, 400, 401, 404);
    assertThat(all).extracting(HttpStatusException::responseBody)
        .containsExactly("slow", "busy", "bad", "who", "none");
    assertThat(all).allSatisfy(e -> assertThat(e).isInstanceOf(TpoException.class));
  }

  @Test
  void retryableSplitFollowsTheStatus() {
    assertThat(new RateLimitedException("m", 429, "", null, null).isRetryable()).isTrue();
    assertThat(new ServerErrorException("m", 502, "").isRetryable()).isTrue();
    assertThat(new BadRequestException("m", 422, "").isRetryable()).isFalse();
    assertThat(new AuthenticationException("m", 403, "").isRetryable()).isFalse();
    assertThat(new ModelNotFoundException("m", 404, "").isRetryable()).isFalse();
    assertThat(new ConnectionFailedException("refused", null).isRetryable()).isTrue();
    assertThat(new ConfigurationException("bad").isRetryable()).isFalse();
  }

  @Test
  void aNullBodyIsKeptAsEmptyAndTheCauseIsKept() {
    IllegalStateException cause = new IllegalStateException("io");
    ServerErrorException e = new ServerErrorException("m", 500, null, cause);
    assertThat(e.responseBody()).isEmpty();
    assertThat(e).hasCause(cause).hasMessage("m");
    assertThat(new RateLimitedException("m", 429, null, Duration.ofMillis(1500), null).retryAfter())
        .contains(Duration.ofMillis(1500));
  }
}
