package dev.tpo.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.error.HttpStatusException;
import dev.tpo.core.error.MalformedResponseException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Checks that a secret appears nowhere in a failure: messages, bodies kept, traces, causes. */
final class Leaks {
  private Leaks() {}

  /**
   * Asserts the secret is absent from every message, {@code toString}, kept body or raw text and
   * the printed stack trace of the failure and its causes and suppressed exceptions.
   *
   * @param failure the failure
   * @param secret the secret
   */
  static void assertNoSecret(Throwable failure, String secret) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).as("stack trace").doesNotContain(secret);
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    walk(failure, secret, seen);
  }

  private static void walk(Throwable t, String secret, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    assertThat(String.valueOf(t.getMessage())).as("message of %s", t.getClass())
        .doesNotContain(secret);
    assertThat(t.toString()).doesNotContain(secret);
    if (t instanceof HttpStatusException) {
      assertThat(String.valueOf(((HttpStatusException) t).responseBody())).as("kept body")
          .doesNotContain(secret);
    }
    if (t instanceof MalformedResponseException) {
      assertThat(String.valueOf(((MalformedResponseException) t).rawText())).as("raw text")
          .doesNotContain(secret);
    }
    walk(t.getCause(), secret, seen);
    for (Throwable s : t.getSuppressed()) {
      walk(s, secret, seen);
    }
  }
}
