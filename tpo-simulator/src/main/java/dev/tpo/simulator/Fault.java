package dev.tpo.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One misbehaviour the {@link SimulatedOpenAiServer} can inject into the answer to one request.
 * Faults are queued or drawn at random per path through {@link FaultPlan}.
 *
 * <p>Faults that change only the content of an answer apply where they make sense: the
 * {@code update*} faults only to chat requests whose messages contain the start tag
 * ({@code <NEW_VALUE>} by default), the {@code reward*} faults only to reward paths, the
 * {@code chat}-content faults only to {@code /v1/chat/completions}. A queued fault that does not
 * apply to a request stays queued for the next one it applies to. {@link #onlyIf(Predicate)}
 * narrows any fault further.
 *
 * <p>Immutable value; thread-safe.
 */
public final class Fault {

  /** What the fault does. */
  public enum Kind {
    /** Answer with an HTTP status and body, optionally with a {@code Retry-After} header. */
    STATUS,
    /** Close the connection after reading the request, without any response. */
    CLOSE_CONNECTION,
    /** Wait (default 10 minutes, or until the server closes) before answering normally. */
    HANG,
    /** Add a delay to the normal latency, then answer normally. */
    DELAY,
    /** Announce the full body length, send half of it and close the connection. */
    CUT_BODY,
    /** A complete HTTP 200 response whose body is JSON cut off in the middle. */
    MALFORMED_JSON,
    /** Valid chat-completion JSON without the {@code choices} field. */
    NO_CHOICES,
    /** Fewer choices than asked for ({@link #count()} of them). */
    FEWER_CHOICES,
    /** Every choice ends with {@code finish_reason = "length"}. */
    FINISH_LENGTH,
    /** An update answer without the start and end tags. */
    UPDATE_WITHOUT_TAGS,
    /** An update answer whose every choice is the empty string. */
    UPDATE_EMPTY,
    /** An update answer whose text inside the tags mentions the tags again. */
    UPDATE_TAG_TEXT_INSIDE,
    /** A reward answer whose first score is NaN (written as the bare token {@code NaN}, like Python). */
    REWARD_NAN,
    /** A reward answer with one score fewer than inputs. */
    REWARD_TOO_FEW,
    /** A complete HTTP 200 response with a given body (for example text that is not JSON). */
    RAW_BODY,
    /** A chat answer whose every choice is the given text (tags added to an update answer). */
    ANSWER_TEXT
  }

  private final Kind kind;
  private final int status;
  private final String body;
  private final String retryAfter;
  private final Duration duration;
  private final int count;
  private final Predicate<RecordedRequest> condition;

  private Fault(
      Kind kind,
      int status,
      String body,
      String retryAfter,
      Duration duration,
      int count,
      Predicate<RecordedRequest> condition) {
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
    this.duration = duration;
    this.count = count;
    this.condition = condition;
  }

  private static Fault of(Kind kind) {
    return new Fault(kind, 0, null, null, Duration.ZERO, 0, r -> true);
  }

  /**
   * An HTTP error with an OpenAI-style error body naming the status.
   *
   * @param status the HTTP status, 400 to 599
   * @return the fault
   */
  public static Fault status(int status) {
    return status(status, OpenAiJson.errorBody(status, "simulated failure with HTTP " + status));
  }

  /**
   * An HTTP error with the given body.
   *
   * @param status the HTTP status, 400 to 599
   * @param body the response body, sent as {@code application/json}
   * @return the fault
   */
  public static Fault status(int status, String body) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be between 400 and 599, got " + status);
    }
    return new Fault(Kind.STATUS, status, Objects.requireNonNull(body, "body"), null,
        Duration.ZERO, 0, r -> true);
  }

  /**
   * HTTP 429 without {@code Retry-After}.
   *
   * @return the fault
   */
  public static Fault rateLimited() {
    return status(429, OpenAiJson.errorBody(429, "Rate limit reached (simulated)"));
  }

  /**
   * HTTP 429 with a {@code Retry-After} header in whole seconds (rounded up).
   *
   * @param retryAfter the delay the client is asked to wait
   * @return the fault
   */
  public static Fault rateLimited(Duration retryAfter) {
    return rateLimited().withRetryAfter(retryAfter);
  }

  /**
   * Closes the connection without sending a response (the client sees a reset or an unexpected
   * end of stream).
   *
   * @return the fault
   */
  public static Fault closeConnection() {
    return of(Kind.CLOSE_CONNECTION);
  }

  /**
   * Waits ten minutes (or until the server closes) before answering: a client read timeout fires.
   *
   * @return the fault
   */
  public static Fault hang() {
    return hang(Duration.ofMinutes(10));
  }

  /**
   * Waits the given time before answering normally.
   *
   * @param duration how long to wait
   * @return the fault
   */
  public static Fault hang(Duration duration) {
    return new Fault(Kind.HANG, 0, null, null, nonNegative(duration), 0, r -> true);
  }

  /**
   * Adds a delay to the configured latency (for example a slow request among fast ones).
   *
   * @param extra the extra delay
   * @return the fault
   */
  public static Fault delay(Duration extra) {
    return new Fault(Kind.DELAY, 0, null, null, nonNegative(extra), 0, r -> true);
  }

  /**
   * Sends half of the body after announcing its full length, then closes the connection.
   *
   * @return the fault
   */
  public static Fault cutBody() {
    return of(Kind.CUT_BODY);
  }

  /**
   * A complete response (HTTP 200, correct length) whose JSON is cut off in the middle.
   *
   * @return the fault
   */
  public static Fault malformedJson() {
    return of(Kind.MALFORMED_JSON);
  }

  /**
   * A chat completion without {@code choices}.
   *
   * @return the fault
   */
  public static Fault noChoices() {
    return chatOnly(of(Kind.NO_CHOICES));
  }

  /**
   * A chat completion with only {@code count} choices, whatever {@code n} asked for.
   *
   * @param count how many choices to send, at least 0
   * @return the fault
   */
  public static Fault fewerChoices(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    return chatOnly(new Fault(Kind.FEWER_CHOICES, 0, null, null, Duration.ZERO, count, r -> true));
  }

  /**
   * A chat completion whose choices all end with {@code finish_reason = "length"}.
   *
   * @return the fault
   */
  public static Fault finishLength() {
    return chatOnly(of(Kind.FINISH_LENGTH));
  }

  /**
   * An update answer (request contains the start tag) whose choices lack the tags.
   *
   * @return the fault
   */
  public static Fault updateWithoutTags() {
    return updateOnly(of(Kind.UPDATE_WITHOUT_TAGS));
  }

  /**
   * An update answer whose choices are all empty strings.
   *
   * @return the fault
   */
  public static Fault updateEmpty() {
    return updateOnly(of(Kind.UPDATE_EMPTY));
  }

  /**
   * An update answer whose tagged text itself mentions the start and end tags.
   *
   * @return the fault
   */
  public static Fault updateTagTextInside() {
    return updateOnly(of(Kind.UPDATE_TAG_TEXT_INSIDE));
  }

  /**
   * A reward answer whose first score is NaN.
   *
   * @return the fault
   */
  public static Fault rewardNaN() {
    return rewardOnly(of(Kind.REWARD_NAN));
  }

  /**
   * A reward answer with one score fewer than there were inputs.
   *
   * @return the fault
   */
  public static Fault rewardTooFew() {
    return rewardOnly(of(Kind.REWARD_TOO_FEW));
  }

  /**
   * A complete HTTP 200 response with the given body, sent as {@code application/json} whatever it
   * holds (for example an HTML page or text that is not JSON).
   *
   * @param body the body
   * @return the fault
   */
  public static Fault rawBody(String body) {
    return new Fault(Kind.RAW_BODY, 200, Objects.requireNonNull(body, "body"), null,
        Duration.ZERO, 0, r -> true);
  }

  /**
   * A chat answer whose every choice is the given text (an update answer gets the tags around
   * it): for example an answer that quotes a secret.
   *
   * @param text the answer text
   * @return the fault
   */
  public static Fault answerText(String text) {
    return chatOnly(new Fault(Kind.ANSWER_TEXT, 0, Objects.requireNonNull(text, "text"), null,
        Duration.ZERO, 0, r -> true));
  }

  /**
   * A copy that adds a {@code Retry-After} header (whole seconds, rounded up) to a status fault.
   *
   * @param delay the delay
   * @return the new fault
   */
  public Fault withRetryAfter(Duration delay) {
    if (kind != Kind.STATUS) {
      throw new IllegalStateException("Retry-After applies to status faults only, not " + kind);
    }
    long millis = nonNegative(delay).toMillis();
    String seconds = Long.toString((millis + 999) / 1000);
    return new Fault(kind, status, body, seconds, duration, count, condition);
  }

  /**
   * A copy that applies only to requests matching the condition as well.
   *
   * @param extra the extra condition
   * @return the new fault
   */
  public Fault onlyIf(Predicate<RecordedRequest> extra) {
    Objects.requireNonNull(extra, "extra");
    return new Fault(kind, status, body, retryAfter, duration, count, condition.and(extra));
  }

  /** @return what the fault does */
  public Kind kind() {
    return kind;
  }

  /** @return the HTTP status of a {@link Kind#STATUS} fault, else 0 */
  public int status() {
    return status;
  }

  /** @return the body of a {@link Kind#STATUS} or {@link Kind#RAW_BODY} fault, the text of an
   *     {@link Kind#ANSWER_TEXT} fault, else null */
  public String body() {
    return body;
  }

  /** @return the {@code Retry-After} header value in seconds, if any */
  public Optional<String> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** @return the wait of a {@link Kind#HANG} or {@link Kind#DELAY} fault, else zero */
  public Duration duration() {
    return duration;
  }

  /** @return the choice count of a {@link Kind#FEWER_CHOICES} fault, else 0 */
  public int count() {
    return count;
  }

  /**
   * Whether this fault applies to the request.
   *
   * @param request the request
   * @return true when every condition holds
   */
  public boolean appliesTo(RecordedRequest request) {
    return condition.test(request);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Fault{").append(kind);
    if (kind == Kind.STATUS) {
      s.append(' ').append(status);
      if (retryAfter != null) {
        s.append(" Retry-After=").append(retryAfter);
      }
    }
    if (!duration.isZero()) {
      s.append(' ').append(duration);
    }
    if (kind == Kind.FEWER_CHOICES) {
      s.append(' ').append(count);
    }
    return s.append('}').toString();
  }

  private static Fault chatOnly(Fault f) {
    return f.onlyIf(r -> r.path().equals(SimulatedOpenAiServer.CHAT_PATH));
  }

  private static Fault updateOnly(Fault f) {
    return chatOnly(f).onlyIf(RecordedRequest::updateRequest);
  }

  private static Fault rewardOnly(Fault f) {
    return f.onlyIf(r -> SimulatedOpenAiServer.REWARD_PATHS.contains(r.path()));
  }

  private static Duration nonNegative(Duration d) {
    Objects.requireNonNull(d, "duration");
    if (d.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0, got " + d);
    }
    return d;
  }
}
