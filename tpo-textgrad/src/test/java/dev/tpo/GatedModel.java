package dev.tpo;

import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fake model that proves how many runs are in flight. Requests wait in a pending set; a
 * dispatcher thread answers one of them, picked at random after a random pause (random delays and
 * completion order), but only once {@code min(window, unfinished runs)} requests are pending at
 * the same time. A caller that keeps fewer runs in flight than the window (a barrier between
 * chunks, too few workers) therefore never gets an answer and the test times out; one that keeps
 * more shows up in {@link #maxInFlight()}.
 *
 * <p>Every choice is a tagged, unique text. Thread-safe.
 */
final class GatedModel implements LanguageModel, AutoCloseable {
  private record Pending(ChatRequest request, CompletableFuture<ChatResponse> future) {}

  private final int window;
  private final Random random = new Random(42);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Pending> pending = new ArrayList<>();
  private final AtomicLong answers = new AtomicLong();
  private final Thread dispatcher;
  private int unfinishedRuns;
  private int maxInFlight;
  private int requests;
  private int releases;
  private boolean closed;

  GatedModel(int window, int runs) {
    this.window = window;
    this.unfinishedRuns = runs;
    this.dispatcher = new Thread(this::dispatch, "gated-model-dispatcher");
    this.dispatcher.setDaemon(true);
    this.dispatcher.start();
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    CompletableFuture<ChatResponse> f = new CompletableFuture<>();
    lock.lock();
    try {
      pending.add(new Pending(request, f));
      requests++;
      maxInFlight = Math.max(maxInFlight, pending.size());
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return f;
  }

  /** Called when a run ends (from a listener), so the window shrinks as the queue drains. */
  void runFinished() {
    lock.lock();
    try {
      unfinishedRuns--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void dispatch() {
    while (true) {
      Pending next;
      lock.lock();
      try {
        while (!closed && (pending.isEmpty() || pending.size() < Math.min(window, unfinishedRuns))) {
          changed.await(50, TimeUnit.MILLISECONDS);
        }
        if (closed) {
          return;
        }
        next = pending.remove(random.nextInt(pending.size()));
        releases++;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        Thread.sleep(0, random.nextInt(500_000));
      } catch (InterruptedException e) {
        return;
      }
      next.future().complete(answer(next.request()));
    }
  }

  private ChatResponse answer(ChatRequest request) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < request.n(); i++) {
      texts.add(Scripts.tagged("answer " + answers.incrementAndGet()));
    }
    return ScriptedLanguageModel.respond(request, texts, FinishReason.STOP);
  }

  int maxInFlight() {
    lock.lock();
    try {
      return maxInFlight;
    } finally {
      lock.unlock();
    }
  }

  int requests() {
    lock.lock();
    try {
      return requests;
    } finally {
      lock.unlock();
    }
  }

  int releases() {
    lock.lock();
    try {
      return releases;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
