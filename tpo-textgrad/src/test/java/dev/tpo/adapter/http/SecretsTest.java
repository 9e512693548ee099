package dev.tpo.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void redactsEveryOccurrence() {
    assertThat(Secrets.redact("key k1 and again k1", "k1")).isEqualTo("key *** and again ***");
    assertThat(Secrets.redact("nothing", null)).isEqualTo("nothing");
    assertThat(Secrets.redact(null, "k")).isEmpty();
  }

  @Test
  void describesAUriWithoutUserInfoOrQuery() {
    assertThat(Secrets.describe(URI.create("http://user:pw@host:8001/pooling?key=s#f")))
        .isEqualTo("http://host:8001/pooling");
  }
}
