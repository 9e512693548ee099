package dev.tpo.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The streamed answer to a chat request with {@code stream=true}: server-sent events ({@code data:
 * {chunk}} lines) in OpenAI's {@code chat.completion.chunk} format. First a chunk giving each
 * choice its role; then, one step per generated token (four characters, as the simulator counts
 * tokens; several tokens per step when the token delay is under {@value #MIN_STEP_NANOS} ns,
 * see {@link #tokensPerStep}), the next piece of every choice that is still generating, all choices
 * of a step interleaved, and the {@code finish_reason} of each choice that ended in the step, the
 * shortest first, so that choices of different lengths finish at different times; then, when the request asked for it with {@code
 * stream_options.include_usage}, a usage chunk with no choices; then {@code data: [DONE]}.
 *
 * <p>Timing: the first chunk goes out at the request's latency (as the whole answer does when not
 * streamed), and the step that ends at token {@code t} at {@code t} token delays after it, so the
 * last choice finishes exactly when the plain answer would have been sent.
 *
 * <p>Immutable; one instance answers one request, on the handler's thread.
 */
final class ChatStream {
  /** The shortest time between two steps of a stream: 5 ms. */
  static final long MIN_STEP_NANOS = 5_000_000L;

  private final SimulatedOpenAiServer server;
  private final String path;
  private final String id;
  private final String model;
  private final List<String> texts;
  private final List<String> finish;
  private final long promptTokens;
  private final long latencyNanos;
  private final boolean includeUsage;

  ChatStream(SimulatedOpenAiServer server, String path, String id, String model,
      List<String> texts, List<String> finish, long promptTokens, long latencyNanos,
      boolean includeUsage) {
    this.server = server;
    this.path = path;
    this.id = id;
    this.model = model;
    this.texts = List.copyOf(texts);
    this.finish = List.copyOf(finish);
    this.promptTokens = promptTokens;
    this.latencyNanos = latencyNanos;
    this.includeUsage = includeUsage;
  }

  /**
   * Writes the whole stream.
   *
   * @param ex the exchange
   * @param damage {@link Fault.Kind#CUT_BODY} to end the stream halfway, {@link
   *     Fault.Kind#MALFORMED_JSON} to send a broken chunk halfway, or null
   * @throws IOException when the client goes away, or the server closes while it waits
   */
  void write(HttpExchange ex, Fault.Kind damage) throws IOException {
    try {
      server.simulate(path, latencyNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("simulated server closed");
    }
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    long created = System.currentTimeMillis() / 1000;
    int longest = 0;
    for (String t : texts) {
      longest = Math.max(longest, pieces(t));
    }
    long tokenDelay = server.tokenDelayNanos();
    if (tokenDelay > 0 && longest > 0) {
      server.delayByPath.computeIfAbsent(path, p -> new AtomicLong())
          .addAndGet(longest * tokenDelay);
    }
    StringBuilder step = new StringBuilder();
    ObjectNode roles = chunk(created);
    ArrayNode roleChoices = roles.putArray("choices");
    for (int i = 0; i < texts.size(); i++) {
      ObjectNode c = roleChoices.addObject();
      c.put("index", i);
      c.putObject("delta").put("role", "assistant").put("content", "");
      c.putNull("logprobs");
      c.putNull("finish_reason");
    }
    event(step, roles);
    for (int i = 0; i < texts.size(); i++) {
      if (pieces(texts.get(i)) == 0) {
        event(step, finishChunk(created, i));
      }
    }
    flush(out, step);
    int perStep = tokensPerStep(tokenDelay);
    int steps = (int) ((longest + (long) perStep - 1) / perStep);
    long start = System.nanoTime();
    for (int k = 1; k <= steps; k++) {
      int from = (k - 1) * perStep; // tokens [from, to) of each choice go out in this step
      int to = (int) Math.min((long) k * perStep, longest);
      pauseUntil(start + to * tokenDelay);
      if (damage != null && k > steps / 2) {
        if (damage == Fault.Kind.MALFORMED_JSON) {
          step.append("data: {\"id\":\"").append(id).append("\",\"choices\":[{\"ind\n\n");
          flush(out, step);
        }
        ex.close(); // ends the stream without the rest and without [DONE]
        return;
      }
      List<Integer> ending = new ArrayList<>();
      for (int i = 0; i < texts.size(); i++) {
        String t = texts.get(i);
        int n = pieces(t);
        if (from >= n) {
          continue;
        }
        ObjectNode piece = chunk(created);
        ObjectNode c = piece.putArray("choices").addObject();
        c.put("index", i);
        c.putObject("delta").put("content",
            t.substring(from * 4, (int) Math.min(t.length(), Math.min(n, to) * 4L)));
        c.putNull("logprobs");
        c.putNull("finish_reason");
        event(step, piece);
        if (n <= to) {
          ending.add(i);
        }
      }
      // choices that ended within this step finish in the order they ended: the shortest first
      ending.sort(Comparator.comparingInt((Integer i) -> pieces(texts.get(i))));
      for (int i : ending) {
        event(step, finishChunk(created, i));
      }
      flush(out, step);
    }
    if (includeUsage) {
      long completion = 0;
      for (String t : texts) {
        completion += ChatEndpoint.tokens(t);
      }
      ObjectNode usage = chunk(created);
      usage.putArray("choices");
      ObjectNode u = usage.putObject("usage");
      u.put("prompt_tokens", promptTokens);
      u.put("completion_tokens", completion);
      u.put("total_tokens", promptTokens + completion);
      event(step, usage);
    }
    step.append("data: [DONE]\n\n");
    flush(out, step);
    out.close();
  }

  /**
   * How many tokens of each choice one step sends: as many as the token delay fits in {@value
   * #MIN_STEP_NANOS} ns (one per step at that delay or more), so a fast simulated model does not
   * cost a wake-up and a chunk per token; all of them in one step when there is no token delay.
   */
  static int tokensPerStep(long tokenDelayNanos) {
    if (tokenDelayNanos <= 0) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        (MIN_STEP_NANOS + tokenDelayNanos - 1) / tokenDelayNanos));
  }

  /** Tokens of a text as the stream sends them: four characters each. */
  private static int pieces(String text) {
    return (text.length() + 3) / 4;
  }

  private ObjectNode chunk(long created) {
    ObjectNode root = OpenAiJson.NODES.objectNode();
    root.put("id", id);
    root.put("object", "chat.completion.chunk");
    root.put("created", created);
    root.put("model", model);
    return root;
  }

  private ObjectNode finishChunk(long created, int index) {
    ObjectNode done = chunk(created);
    ObjectNode c = done.putArray("choices").addObject();
    c.put("index", index);
    c.putObject("delta");
    c.putNull("logprobs");
    c.put("finish_reason", finish.get(index));
    return done;
  }

  private static void event(StringBuilder step, ObjectNode chunk) {
    step.append("data: ").append(OpenAiJson.write(chunk)).append("\n\n");
  }

  private static void flush(OutputStream out, StringBuilder step) throws IOException {
    if (step.length() > 0) {
      out.write(step.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      step.setLength(0);
    }
  }

  private void pauseUntil(long deadline) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return;
    }
    try {
      server.pause(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("simulated server closed");
    }
  }
}
