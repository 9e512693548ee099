package dev.tpo.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonBuffersTest {

  /** Every mapper constant on a request path, by class: each must take the shared pool. */
  private static final List<String> MAPPER_OWNERS = List.of(
      "dev.tpo.adapter.reward.JsonPoster",
      "dev.tpo.adapter.openai.ChatWire",
      "dev.tpo.adapter.openai.ModelProbe",
      "dev.tpo.adapter.openai.SdkJson",
      "dev.tpo.ResultJson");

  @Test
  void manyThreadsParsingKeepAtMostTheCapacityOfBufferSets() throws Exception {
    ObjectMapper mapper = new ObjectMapper(JsonBuffers.factory());
    int threads = 4 * JsonBuffers.CAPACITY;
    CountDownLatch allStarted = new CountDownLatch(threads);
    AtomicInteger parsed = new AtomicInteger();
    List<Thread> started = new ArrayList<>();
    String json = "{\"data\":[{\"data\":[0.25]}],\"text\":\"" + "x".repeat(5_000) + "\"}";
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        allStarted.countDown();
        try {
          // all threads parse at once, so the pool is empty for most and full after
          allStarted.await();
          JsonNode node = mapper.readTree(json);
          if (node.path("data").path(0).path("data").path(0).asDouble() == 0.25) {
            parsed.incrementAndGet();
          }
          mapper.writeValueAsString(node);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      t.start();
      started.add(t);
    }
    for (Thread t : started) {
      t.join();
    }

    assertThat(parsed).hasValue(threads);
    RecyclerPool<BufferRecycler> pool = JsonBuffers.pool();
    assertThat(pool.pooledCount())
        .as("buffer sets kept after %d threads parsed and wrote at once", threads)
        .isPositive()
        .isLessThanOrEqualTo(JsonBuffers.CAPACITY);
  }

  @Test
  void aThreadTakesBackTheSetItReleasedAndASecondSetAtOnceIsAnother() {
    RecyclerPool<BufferRecycler> pool = JsonBuffers.pool();
    BufferRecycler first = pool.acquirePooled();
    BufferRecycler second = pool.acquirePooled();
    assertThat(second).as("two sets in use at once").isNotSameAs(first);
    pool.releasePooled(first);
    pool.releasePooled(second);
    BufferRecycler again = pool.acquirePooled();
    try {
      assertThat(again).as("a released set is used again, not a new one")
          .isIn(first, second);
    } finally {
      pool.releasePooled(again);
    }
  }

  @Test
  void theSharedFactoryParsesAndWritesAsTheDefaultOne() throws Exception {
    String json = "{\"a\":[1,2.5,\"x\\u00e9<SEP>\"],\"b\":{\"c\":null}}";
    ObjectMapper pooled = new ObjectMapper(JsonBuffers.factory());
    ObjectMapper plain = new ObjectMapper();
    assertThat(pooled.writeValueAsString(pooled.readTree(json)))
        .isEqualTo(plain.writeValueAsString(plain.readTree(json)));
  }

  @Test
  void everyRequestPathMapperTakesTheSharedPool() throws Exception {
    int mappers = 0;
    for (String owner : MAPPER_OWNERS) {
      for (Field f : Class.forName(owner).getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && ObjectMapper.class.isAssignableFrom(f.getType())) {
          f.setAccessible(true);
          ObjectMapper m = (ObjectMapper) f.get(null);
          assertThat(m.getFactory()._getRecyclerPool())
              .as("%s.%s", owner, f.getName())
              .isSameAs(JsonBuffers.pool());
          mappers++;
        }
      }
    }
    assertThat(mappers).isEqualTo(MAPPER_OWNERS.size());
  }
}
