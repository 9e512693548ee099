package dev.tpo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Reads, counts, records, faults and routes every request of one server. Thread-safe. */
final class RequestHandler {
  private final SimulatedOpenAiServer s;

  RequestHandler(SimulatedOpenAiServer server) {
    this.s = server;
  }

  void handle(HttpExchange ex) {
    s.arrived();
    String path = ex.getRequestURI().getPath();
    boolean counted = !path.startsWith("/sim/");
    if (counted) {
      s.total.incrementAndGet();
      s.perPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
      s.firstArrival.putIfAbsent(path, System.currentTimeMillis());
      int now = s.inFlight.incrementAndGet();
      s.maxInFlight.accumulateAndGet(now, Math::max);
    }
    try {
      RecordedRequest rec = read(ex, path);
      if (counted && s.config.recordRequestsFlag()) {
        s.recorded.add(rec);
      }
      Reply reply = counted ? serve(ex, rec) : s.control.handle(rec);
      if (reply != null) {
        send(ex, reply, null);
      }
    } catch (InterruptedException e) {
      ex.close();
    } catch (IOException | UncheckedIOException e) {
      ex.close();
    } catch (RuntimeException e) {
      trySend(ex, Reply.error(500, "simulator failure: " + e));
    } catch (Error e) {
      System.err.println("SimulatedOpenAiServer: " + e + " while serving " + path);
      ex.close();
      throw e;
    } finally {
      if (counted) {
        s.inFlight.decrementAndGet();
      }
    }
  }

  /** Applies the path's fault, if any, and routes; returns null when the reply was already sent. */
  private Reply serve(HttpExchange ex, RecordedRequest rec) throws InterruptedException, IOException {
    if (s.config.apiKey != null
        && !("Bearer " + s.config.apiKey).equals(rec.header("authorization"))) {
      return new Reply(401, OpenAiJson.errorBody(401, "Incorrect API key provided.",
          "invalid_request_error", null, "invalid_api_key"), Map.of());
    }
    FaultPlan plan = s.plans.get(rec.path());
    Fault fault = plan == null ? null : plan.next(rec);
    long extra = 0;
    if (fault != null) {
      switch (fault.kind()) {
        case STATUS:
          Map<String, String> headers = fault.retryAfter().isPresent()
              ? Map.of("Retry-After", fault.retryAfter().get()) : Map.of();
          return new Reply(fault.status(), fault.body(), headers);
        case RAW_BODY:
          return new Reply(200, fault.body(), Map.of());
        case CLOSE_CONNECTION:
          ex.close();
          return null;
        case HANG:
          s.pause(fault.duration().toNanos());
          break;
        case DELAY:
          extra = fault.duration().toNanos();
          break;
        default:
          break;
      }
    }
    Reply reply = route(rec, fault, extra);
    if (fault != null
        && (fault.kind() == Fault.Kind.CUT_BODY || fault.kind() == Fault.Kind.MALFORMED_JSON)) {
      send(ex, reply, fault.kind());
      return null;
    }
    return reply;
  }

  private Reply route(RecordedRequest rec, Fault fault, long extra) throws InterruptedException {
    String path = rec.path();
    String method = rec.method();
    if (path.equals(SimulatedOpenAiServer.CHAT_PATH) && method.equals("POST")) {
      return s.chat.chat(rec, fault, extra);
    }
    if (path.equals(SimulatedOpenAiServer.MODELS_PATH) && method.equals("GET")) {
      return s.chat.models();
    }
    if (SimulatedOpenAiServer.REWARD_PATHS.contains(path) && method.equals("POST")) {
      return s.rewards.handle(rec, fault, extra);
    }
    return Reply.error(404, "no route for " + method + " " + path);
  }

  private RecordedRequest read(HttpExchange ex, String path) throws IOException {
    String body;
    try (InputStream in = ex.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<String, String> headers = new HashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> {
      if (!v.isEmpty()) {
        headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
      }
    });
    JsonNode json = OpenAiJson.parseOrNull(body);
    return new RecordedRequest(s.sequence.incrementAndGet(), ex.getRequestMethod(), path, headers,
        body, json, isUpdate(json));
  }

  private boolean isUpdate(JsonNode json) {
    if (json == null) {
      return false;
    }
    for (JsonNode m : json.path("messages")) {
      if (ChatEndpoint.contentText(m.path("content")).contains(s.config.startTag())) {
        return true;
      }
    }
    return false;
  }

  private static void send(HttpExchange ex, Reply reply, Fault.Kind damage) throws IOException {
    if (reply.stream() != null) {
      reply.stream().write(ex, damage);
      return;
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    if (damage == Fault.Kind.MALFORMED_JSON) {
      bytes = Arrays.copyOf(bytes, bytes.length / 2);
    }
    ex.sendResponseHeaders(reply.status(), bytes.length);
    OutputStream out = ex.getResponseBody();
    if (damage == Fault.Kind.CUT_BODY) {
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
      ex.close();
      return;
    }
    out.write(bytes);
    out.close();
  }

  private static void trySend(HttpExchange ex, Reply reply) {
    try {
      send(ex, reply, null);
    } catch (IOException | RuntimeException e) {
      ex.close();
    }
  }
}
