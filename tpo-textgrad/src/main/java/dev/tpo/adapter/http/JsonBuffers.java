package dev.tpo.adapter.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;

/**
 * The buffers of the adapters' JSON mappers: one pool of at most {@value #CAPACITY} of Jackson's
 * buffer sets, shared by every mapper that parses or writes on a request path.
 *
 * <p>Why: Jackson's default keeps one buffer set (about 10 KB of {@code char[]} and {@code
 * byte[]}) per thread that ever used it, softly referenced, so it outlives a collection. The
 * adapters parse and write on OkHttp's dispatcher threads and on the threads that run prompts,
 * and a burst of requests leaves as many idle threads, each with its buffers: measure 4 of
 * docs/benchmarks.md found about 1,500 of them (16 MB) with 1,000 runs held. A bounded pool keeps
 * at most {@value #CAPACITY} sets whatever the number of threads; a parser that finds the pool
 * empty allocates its own, and a set released to a full pool is left to the collector.
 *
 * <p>Thread-safe.
 */
public final class JsonBuffers {
  /** The most buffer sets kept between uses. */
  public static final int CAPACITY = 64;

  private static final RecyclerPool<BufferRecycler> POOL =
      JsonRecyclerPools.newBoundedPool(CAPACITY);

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
}
