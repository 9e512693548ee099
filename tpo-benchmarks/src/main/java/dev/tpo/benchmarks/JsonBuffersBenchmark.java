package dev.tpo.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.adapter.http.JsonBuffers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: what the pool of JSON buffers costs (docs/benchmarks.md, "JSON buffers from one pool"):
 * 8 threads each parse a chat answer of five 60-word choices and write it back, with the mapper's
 * buffers from Jackson's thread-local default ({@code threadLocal}), Jackson's bounded pool, a
 * queue under a lock ({@code jacksonBounded}), or {@link JsonBuffers}' slots ({@code jsonBuffers},
 * what the adapters use). Throughput of all threads together; run alone with {@code java -cp
 * tpo-benchmarks/target/tpo-benchmarks.jar org.openjdk.jmh.Main JsonBuffersBenchmark}.
 *
 * <p>Thread-safe: the mapper is shared, as in the adapters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 8, time = 1)
@Threads(8)
@Fork(1)
public class JsonBuffersBenchmark {
  /** Where the mapper's buffers come from. */
  @Param({"threadLocal", "jacksonBounded", "jsonBuffers"})
  public String pool;

  private ObjectMapper mapper;
  private byte[] answer;

  /** Builds the mapper and the answer. */
  @Setup
  public void setUp() {
    mapper = switch (pool) {
      case "threadLocal" -> new ObjectMapper(
          JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build());
      case "jacksonBounded" -> new ObjectMapper(JsonFactory.builder()
          .recyclerPool(JsonRecyclerPools.newBoundedPool(JsonBuffers.CAPACITY)).build());
      case "jsonBuffers" -> new ObjectMapper(JsonBuffers.factory());
      default -> throw new IllegalArgumentException("pool: " + pool);
    };
    StringBuilder json = new StringBuilder("{\"id\":\"chatcmpl-1\",\"choices\":[");
    for (int i = 0; i < 5; i++) {
      json.append(i == 0 ? "" : ",").append("{\"index\":").append(i)
          .append(",\"message\":{\"role\":\"assistant\",\"content\":\"")
          .append("word ".repeat(60)).append("\"},\"finish_reason\":\"stop\"}");
    }
    answer = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses the answer from bytes and writes it back as a string.
   *
   * @return the written length, so the work is not optimised away
   * @throws IOException never with this input
   */
  @Benchmark
  public int parseAndWrite() throws IOException {
    JsonNode node = mapper.readTree(new ByteArrayInputStream(answer));
    return mapper.writeValueAsString(node).length();
  }
}
