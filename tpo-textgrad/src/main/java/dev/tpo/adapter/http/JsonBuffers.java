package dev.tpo.adapter.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The buffers of the adapters' JSON mappers: one pool of at most {@value #CAPACITY} of Jackson's
 * buffer sets ({@link BufferRecycler}), shared by every mapper that parses or writes on a request
 * path.
 *
 * <p>Why: Jackson's default keeps one buffer set (about 10 KB of {@code char[]} and {@code
 * byte[]}) per thread that ever used it, softly referenced, so it outlives a collection. The
 * adapters parse and write on OkHttp's dispatcher threads and on the threads that run prompts,
 * and a burst of requests leaves as many idle threads, each with its buffers: measure 4 of
 * docs/benchmarks.md found about 1,500 of them (16 MB) with 1,000 runs held. This pool keeps at
 * most {@value #CAPACITY} sets whatever the number of threads; a parser that finds none free
 * allocates its own, and a set released when no slot is free is left to the collector.
 *
 * <p>How: {@value #CAPACITY} slots, each on a cache line of its own; a thread looks at {@value
 * #PROBES} slots from one picked by its id, taking and returning sets with compare-and-set, so
 * threads rarely meet and never wait. Jackson's own bounded pool ({@code
 * JsonRecyclerPools.newBoundedPool}) takes a lock for every parser and writer: with 8 threads
 * parsing and writing on 2 cores it reached half the thread-local default's throughput, where
 * this one matched it ({@code JsonBuffersBenchmark}; docs/benchmarks.md, "JSON buffers from one
 * pool").
 *
 * <p>Thread-safe.
 */
public final class JsonBuffers {
  /** The most buffer sets kept between uses. */
  public static final int CAPACITY = 64;
  /** How many slots a thread tries before it allocates, or drops, a set. */
  static final int PROBES = 4;

  private static final Pool POOL = new Pool();

  private JsonBuffers() {}

  /**
   * A new JSON factory that takes its buffers from the shared pool; give it to a mapper's
   * builder ({@code JsonMapper.builder(JsonBuffers.factory())} or {@code new
   * ObjectMapper(JsonBuffers.factory())}).
   *
   * @return a factory with default features
   */
  public static JsonFactory factory() {
    return JsonFactory.builder().recyclerPool(POOL).build();
  }

  /**
   * The shared pool, for tests and diagnostics.
   *
   * @return the pool every {@link #factory()} uses
   */
  public static RecyclerPool<BufferRecycler> pool() {
    return POOL;
  }

  /** The slots; a set is either in one slot or in use by one parser or writer. */
  private static final class Pool implements RecyclerPool<BufferRecycler> {
    private static final long serialVersionUID = 1L;
    /** Slot {@code k} is element {@code k * STRIDE}: one slot per cache line, no false sharing. */
    private static final int STRIDE = 16;
    private final transient AtomicReferenceArray<BufferRecycler> slots =
        new AtomicReferenceArray<>(CAPACITY * STRIDE);

    @Override
    public BufferRecycler acquirePooled() {
      int first = firstSlot();
      for (int i = 0; i < PROBES; i++) {
        int k = ((first + i) & (CAPACITY - 1)) * STRIDE;
        BufferRecycler r = slots.get(k);
        if (r != null && slots.compareAndSet(k, r, null)) {
          return r;
        }
      }
      return new BufferRecycler();
    }

    @Override
    public void releasePooled(BufferRecycler recycler) {
      int first = firstSlot();
      for (int i = 0; i < PROBES; i++) {
        int k = ((first + i) & (CAPACITY - 1)) * STRIDE;
        if (slots.get(k) == null && slots.compareAndSet(k, null, recycler)) {
          return;
        }
      }
    }

    @Override
    public int pooledCount() {
      int n = 0;
      for (int i = 0; i < CAPACITY; i++) {
        if (slots.get(i * STRIDE) != null) {
          n++;
        }
      }
      return n;
    }

    @Override
    public boolean clear() {
      for (int i = 0; i < CAPACITY; i++) {
        slots.set(i * STRIDE, null);
      }
      return true;
    }

    private static int firstSlot() {
      // threads made together (a dispatcher's workers) have consecutive ids: times PROBES, each
      // of up to CAPACITY / PROBES of them starts at a window of slots of its own
      @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; this builds for 17
      long id = Thread.currentThread().getId();
      return (int) (id * PROBES);
    }

    /** One pool per JVM: a deserialized factory takes the shared one. */
    private Object readResolve() {
      return POOL;
    }
  }
}
