package dev.tpo.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.NonRetryableException;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LanguageModel} running a GGUF model in this process with llama.cpp (through the Java
 * binding {@code de.kherud:llama}). The prompt is rendered with the chat template stored in the
 * GGUF; a request for {@code n} choices runs as {@code n} sequences on llama.cpp's parallel slots
 * (continuous batching); choice {@code i} is sampled with the seed {@code seed + i}.
 * Temperature, top-p, max tokens, stop strings and the extra fields {@code top_k}, {@code min_p},
 * {@code repetition_penalty}, {@code presence_penalty} and {@code frequency_penalty} are honoured.
 * Usage is reported as a server reports it: prompt tokens once per request, completion tokens
 * summed over the choices.
 *
 * <p>Each slot keeps the KV cache of the last prompt it served ({@code cache_prompt}); a sequence
 * is put on the free slot whose cached prompt shares the longest prefix with its own, and {@link
 * #cacheStats()} reports how many prompt tokens were served from the cache.
 *
 * <p>Seeds and reproducibility: llama.cpp samples deterministically from the logits it computes,
 * so the same request with the same seed gives the same texts when its sequences are computed the
 * same way: the same part of each prompt found in the slot's cache (a prompt cached entirely has
 * only its last token evaluated again, another cached prefix has the rest evaluated in one chunk),
 * and the same sequences sharing each decoding step. On a model with one slot on the CPU, the same
 * requests in the same order on a fresh instance meet both conditions. (The bundled llama.cpp
 * clears the whole KV cache at its task loop's first idle moment without telling the slots, so a
 * request before that moment left later requests generating from a prompt missing its cached
 * prefix; {@link LlamaCppModelBuilder#build()} now hands the model out only after that moment.) With several slots, which sequences
 * are decoded together depends on timing, and on a shared instance which prefix is cached depends
 * on the requests before; llama.cpp does not promise bit-identical logits across such differences
 * (its server documents that {@code cache_prompt} "can cause nondeterministic results"), and at a
 * temperature above 0 a difference in the last bits can change a token and the text after it. In
 * the project's measurements on its tiny test model no such difference showed; expect the same
 * texts, but do not build on it where several slots or an earlier history are involved.
 *
 * <p>Thread-safe: one instance serves many concurrent runs. Sequences queue for the fixed number
 * of slots; cancelling the returned future stops its sequences at the next token and frees their
 * slots. {@link #close()} cancels what is running, fails what is queued and stops the model.
 */
public final class LlamaCppModel implements LanguageModel, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LlamaCppModel.class);

  private final LlamaModel llama;
  private final GgufInfo info;
  private final int slots;
  private final int contextSize;
  private final ExecutorService workers;
  private final SlotTable table;
  private final Object lifecycle = new Object();
  private final List<Sequence> running = new ArrayList<>();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong cachedTokens = new AtomicLong();
  private final AtomicLong sequences = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  /**
   * One sequence at a time waits inside the binding's receive: llama.cpp's result queue wakes every
   * waiting receiver on each result and the ones it is not for spin until theirs comes, which on
   * few cores starves the compute threads. Fair, so receivers take turns in the order their results
   * come (slot order).
   */
  private final ReentrantLock receiving = new ReentrantLock(true);

  LlamaCppModel(LlamaCppModelBuilder b, GgufInfo info, LlamaModel llama) {
    this.info = info;
    this.llama = llama;
    this.slots = b.slots();
    this.contextSize = b.contextSize();
    this.table = new SlotTable(slots);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "llamacpp-slot-" + n.getAndIncrement());
          t.setDaemon(true);
          return t;
        };
    this.workers = Executors.newFixedThreadPool(slots, tf);
  }

  /**
   * A new builder.
   *
   * @return a builder with the defaults
   */
  public static LlamaCppModelBuilder builder() {
    return new LlamaCppModelBuilder();
  }

  /**
   * What the GGUF header says about the loaded model.
   *
   * @return the model's header information
   */
  public GgufInfo info() {
    return info;
  }

  /**
   * The number of parallel sequences (llama.cpp slots).
   *
   * @return the slots
   */
  public int slots() {
    return slots;
  }

  /**
   * Tokens of context per slot: the prompt and the generated text of one sequence together.
   *
   * @return the context size per slot
   */
  public int contextSize() {
    return contextSize;
  }

  @Override
  public String name() {
    return "llama.cpp:" + info.name();
  }

  /**
   * Prompt-cache figures summed over every sequence since the model was loaded.
   *
   * @return the figures
   */
  public CacheStats cacheStats() {
    return new CacheStats(sequences.get(), promptTokens.get(), cachedTokens.get());
  }

  /**
   * Renders the conversation with the model's chat template, with the assistant's turn opened.
   *
   * @param messages the conversation
   * @return the prompt text the model sees
   */
  public String renderPrompt(List<ChatMessage> messages) {
    StringBuilder json = new StringBuilder("{\"messages\":[");
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"role\":")
          .append(Json.quote(m.role().wireName()))
          .append(",\"content\":")
          .append(Json.quote(m.content()))
          .append('}');
    }
    json.append("]}");
    synchronized (lifecycle) {
      ensureOpen();
      return llama.applyTemplate(json.toString());
    }
  }

  /**
   * The tokens llama.cpp evaluates for a prompt text (a BOS token first when the model's tokenizer
   * adds one).
   *
   * @param prompt the rendered prompt
   * @return the token ids
   */
  public int[] tokenize(String prompt) {
    int[] tokens;
    synchronized (lifecycle) {
      ensureOpen();
      tokens = llama.encode(prompt);
    }
    if (!info.addBos()) {
      return tokens;
    }
    int[] withBos = new int[tokens.length + 1];
    withBos[0] = -1; // the BOS id itself does not matter for counting and prefix matching
    System.arraycopy(tokens, 0, withBos, 1, tokens.length);
    return withBos;
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    CompletableFuture<Generation> generation = generateAsync(request);
    CompletableFuture<ChatResponse> response = new CompletableFuture<>();
    generation.whenComplete(
        (g, e) -> {
          if (e != null) {
            response.completeExceptionally(e);
          } else {
            response.complete(g.response());
          }
        });
    // Cancelling the caller's future stops the generation (a thenApply stage would not).
    response.whenComplete(
        (r, e) -> {
          if (response.isCancelled()) {
            generation.cancel(true);
          }
        });
    return response;
  }

  /**
   * Answers the request and reports, besides the response, the prompt's tokens and how many of
   * them each sequence found in its slot's KV cache.
   *
   * @param request the request
   * @return a future completed with the generation; cancel it to stop generating
   */
  public CompletableFuture<Generation> generateAsync(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    CompletableFuture<Generation> result = new CompletableFuture<>();
    try {
      String prompt = renderPrompt(request.messages());
      int[] tokens = tokenize(prompt);
      if (tokens.length >= contextSize) {
        throw new BadRequestException(
            "the prompt has " + tokens.length + " tokens but " + name() + " has a context of "
                + contextSize + " tokens per slot: shorten the prompt or build the model with a"
                + " larger contextSize",
            400,
            "");
      }
      int room = contextSize - tokens.length;
      int nPredict = Math.min(room, request.maxTokens().orElse(room));
      int n = request.n();
      List<Sequence> seqs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        seqs.add(new Sequence(i, prompt, tokens, nPredict, request));
      }
      CompletableFuture<?>[] parts = new CompletableFuture<?>[n];
      synchronized (lifecycle) {
        ensureOpen();
        for (int i = 0; i < n; i++) {
          Sequence s = seqs.get(i);
          parts[i] = s.done;
          workers.execute(() -> run(s));
        }
      }
      result.whenComplete(
          (r, e) -> {
            if (e != null) {
              seqs.forEach(Sequence::cancel);
            }
          });
      for (Sequence s : seqs) {
        s.done.whenComplete(
            (c, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              }
            });
      }
      CompletableFuture.allOf(parts)
          .thenRun(
              () -> {
                List<ChatChoice> choices = new ArrayList<>(n);
                long completion = 0;
                long cached = 0;
                for (Sequence s : seqs) {
                  SequenceResult sr = s.done.join();
                  choices.add(new ChatChoice(s.index, sr.text, sr.finishReason));
                  completion += sr.tokens;
                  cached += sr.cachedTokens;
                }
                ChatResponse response =
                    new ChatResponse(
                        choices, TokenUsage.ofRequest(tokens.length, completion), info.name());
                result.complete(new Generation(response, tokens.length, cached, n));
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private void run(Sequence s) {
    if (s.cancelled.get()) {
      s.done.cancel(false);
      return;
    }
    if (closed.get()) {
      s.done.completeExceptionally(closedError());
      return;
    }
    SlotTable.Lease lease = table.acquire(s.tokens);
    synchronized (lifecycle) {
      running.add(s);
    }
    // The outcome is delivered only after the slot is free again, so that a caller's next request
    // finds the slot (and its cached prompt) available.
    Runnable outcome;
    boolean clean = false;
    try {
      SequenceResult result = generate(s, lease);
      if (result == null) {
        outcome =
            closed.get()
                ? () -> s.done.completeExceptionally(closedError())
                : () -> s.done.cancel(false);
      } else {
        clean = true;
        promptTokens.addAndGet(s.tokens.length);
        cachedTokens.addAndGet(lease.reusable());
        sequences.incrementAndGet();
        outcome = () -> s.done.complete(result);
      }
    } catch (RuntimeException e) {
      NonRetryableException failure =
          new NonRetryableException(
              "llama.cpp failed while generating for " + name() + ": " + e.getMessage(), e);
      outcome = () -> s.done.completeExceptionally(failure);
    } finally {
      table.release(lease, clean ? s.tokens : null);
      synchronized (lifecycle) {
        running.remove(s);
        lifecycle.notifyAll();
      }
    }
    outcome.run();
  }

  /** Streams one sequence; null when it was cancelled (or the model closed) midway. */
  private SequenceResult generate(Sequence s, SlotTable.Lease lease) {
    InferenceParameters p = s.parameters(lease.slot());
    Iterator<LlamaOutput> it = llama.generate(p).iterator();
    StringBuilder text = new StringBuilder();
    int count = 0;
    int upper = 0;
    boolean lastPieceEmpty = true;
    while (it.hasNext()) {
      if (s.cancelled.get() || closed.get()) {
        ((LlamaIterator) it).cancel();
        return null;
      }
      LlamaOutput out;
      receiving.lock();
      try {
        out = it.next();
      } finally {
        receiving.unlock();
      }
      if (it.hasNext()) {
        // One streamed piece per token, except that llama.cpp holds back a token ending inside
        // a UTF-8 character and sends it with the next one: such a piece may stand for as many
        // tokens as its non-ASCII bytes.
        count++;
        upper += Math.max(1, nonAsciiBytes(out.text));
        lastPieceEmpty = out.text.isEmpty();
      }
      text.append(out.text);
    }
    boolean atLimit = count >= s.nPredict || (upper >= s.nPredict && !lastPieceEmpty);
    FinishReason reason = atLimit ? FinishReason.LENGTH : FinishReason.STOP;
    return new SequenceResult(text.toString(), count, reason, lease.reusable());
  }

  private static int nonAsciiBytes(String piece) {
    int bytes = 0;
    for (int i = 0; i < piece.length(); i++) {
      char c = piece.charAt(i);
      if (c >= 0x80) {
        bytes += Character.isSurrogate(c) ? 2 : c < 0x800 ? 2 : 3;
      }
    }
    return bytes;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw closedError();
    }
  }

  private ConfigurationException closedError() {
    return new ConfigurationException(
        name() + " is closed: create a new LlamaCppModel (close it only when the application stops)");
  }

  /**
   * Cancels the sequences in flight (they stop at their next token), fails the queued ones, waits
   * for the slots to go idle and stops the model's native task loop. Idempotent.
   *
   * <p>Note: the binding ({@code de.kherud:llama} 4.2.0) stops llama.cpp's task loop here but does
   * not free the weights and KV cache themselves (its native {@code delete} leaves the server
   * context allocated); they are returned to the operating system when the process exits. Load a
   * model once and share it.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (lifecycle) {
      running.forEach(Sequence::cancel);
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("{}: sequences still running 60 s after close()", name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lifecycle) {
      llama.close();
    }
  }

  /** One sequence (one choice) of a request. */
  private static final class Sequence {
    final int index;
    final String prompt;
    final int[] tokens;
    final int nPredict;
    final ChatRequest request;
    final AtomicBoolean cancelled = new AtomicBoolean();
    final CompletableFuture<SequenceResult> done = new CompletableFuture<>();

    Sequence(int index, String prompt, int[] tokens, int nPredict, ChatRequest request) {
      this.index = index;
      this.prompt = prompt;
      this.tokens = tokens;
      this.nPredict = nPredict;
      this.request = request;
    }

    void cancel() {
      cancelled.set(true);
    }

    InferenceParameters parameters(int slot) {
      return LlamaCppModel.parameters(request, index, prompt, nPredict, slot);
    }
  }

  /**
   * What llama.cpp is asked for choice {@code index} of a request: the prompt with
   * {@code cache_prompt}, the sampling fields, the seed {@code seed + index} when the request has a
   * seed, and the slot.
   */
  static InferenceParameters parameters(
      ChatRequest request, int index, String prompt, int nPredict, int slot) {
    InferenceParameters p =
        new InferenceParameters(prompt).setCachePrompt(true).setNPredict(nPredict);
    request.temperature().ifPresent(t -> p.setTemperature(t.floatValue()));
    request.topP().ifPresent(t -> p.setTopP(t.floatValue()));
    request.seed().ifPresent(seed -> p.setSeed((int) ((seed + index) & 0x7FFFFFFFL)));
    if (!request.stop().isEmpty()) {
      p.setStopStrings(request.stop().toArray(new String[0]));
    }
    for (Map.Entry<String, Object> e : request.extraBody().entrySet()) {
      Object v = e.getValue();
      if (!(v instanceof Number num)) {
        continue;
      }
      switch (e.getKey()) {
        case "top_k":
          p.setTopK(num.intValue());
          break;
        case "min_p":
          p.setMinP(num.floatValue());
          break;
        case "repetition_penalty":
        case "repeat_penalty":
          p.setRepeatPenalty(num.floatValue());
          break;
        case "presence_penalty":
          p.setPresencePenalty(num.floatValue());
          break;
        case "frequency_penalty":
          p.setFrequencyPenalty(num.floatValue());
          break;
        default:
          break;
      }
    }
    Binding.pinSlot(p, slot);
    return p;
  }

  private record SequenceResult(String text, int tokens, FinishReason finishReason, long cachedTokens) {}

  /**
   * One answered request: the response and the prompt-cache figures of its sequences.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param response the response
   * @param promptTokens tokens of the rendered prompt
   * @param cachedPromptTokens prompt tokens served from slot KV caches, summed over the sequences
   * @param sequences how many sequences (choices) ran
   */
  public record Generation(
      ChatResponse response, int promptTokens, long cachedPromptTokens, int sequences) {}

  /**
   * Prompt-cache figures summed over sequences.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param sequences sequences completed
   * @param promptTokens prompt tokens those sequences needed (each sequence counts its prompt)
   * @param cachedTokens of those, tokens served from a slot's KV cache instead of evaluated
   */
  public record CacheStats(long sequences, long promptTokens, long cachedTokens) {
    /**
     * The share of prompt tokens served from the cache.
     *
     * @return 0 to 1, 0 when nothing ran
     */
    public double cachedShare() {
      return promptTokens == 0 ? 0 : (double) cachedTokens / promptTokens;
    }
  }

  static ModelParameters nativeParameters(LlamaCppModelBuilder b, Path model) {
    ModelParameters p =
        new ModelParameters()
            .setModel(model.toString())
            .setCtxSize(b.contextSize() * b.slots())
            .setParallel(b.slots())
            .setThreads(b.threads())
            .setThreadsBatch(b.threads())
            .disableLog();
    if (b.gpuLayers() > 0) {
      p.setGpuLayers(b.gpuLayers());
    }
    return p;
  }
}
