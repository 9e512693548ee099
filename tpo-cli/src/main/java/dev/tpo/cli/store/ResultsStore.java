package dev.tpo.cli.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.adapter.http.JsonBuffers;
import dev.tpo.core.error.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The append-only results file of a run: one JSON object per line, one line per prompt.
 *
 * <p>{@link #open(Path)} reads what an earlier run left: lines with an {@code id} and no {@code
 * error} are done and will be skipped; a last line without its newline (a run killed in the middle
 * of a write) is cut off; when failed prompts, unreadable lines or repeated ids are present the file
 * is rewritten without them (to a temporary file, then moved over the original), so the failed
 * prompts are tried again and every id ends up exactly once. {@link #append(ObjectNode)} writes one
 * line with a single write of the whole line and its newline, then forces it to disk, so a crash
 * can cut at most that last line.
 *
 * <p>A lock file ({@code FILE.lock}) keeps two runs from writing the same results file; the
 * operating system releases the lock when a process dies, so the lock file left behind is harmless
 * is deleted when the store is closed (while the lock is still held), and a run that locked a lock
 * file another run had just deleted tries again with the new one.
 *
 * <p>Thread-safe: {@link #append(ObjectNode)} may be called from many threads.
 */
public final class ResultsStore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper(JsonBuffers.factory());

  private final Path file;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileChannel channel;
  private final Map<String, StoredResult> results;
  private final Recovery recovery;
  private final boolean force;

  private ResultsStore(Path file, FileChannel lockChannel, FileLock lock, FileChannel channel,
      Map<String, StoredResult> results, Recovery recovery, boolean force) {
    this.file = file;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.channel = channel;
    this.results = results;
    this.recovery = recovery;
    this.force = force;
  }

  /**
   * What {@link #open} found and repaired in an existing file.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param truncatedBytes bytes of a partial last line that were cut off (0 when none)
   * @param droppedFailures error lines removed so their prompts run again
   * @param droppedInvalid lines that were not JSON objects with an id, removed
   * @param droppedDuplicates repeated lines for an id already done, removed
   * @param invalidLineNumbers the 1-based numbers of the invalid lines, for the warning
   */
  public record Recovery(long truncatedBytes, int droppedFailures, int droppedInvalid,
      int droppedDuplicates, List<Integer> invalidLineNumbers) {
    /**
     * Copies the list.
     *
     * @param truncatedBytes bytes of a partial last line that were cut off (0 when none)
     * @param droppedFailures error lines removed so their prompts run again
     * @param droppedInvalid lines that were not JSON objects with an id, removed
     * @param droppedDuplicates repeated lines for an id already done, removed
     * @param invalidLineNumbers the 1-based numbers of the invalid lines, for the warning
     */
    public Recovery {
      invalidLineNumbers = List.copyOf(invalidLineNumbers);
    }

    /** @return whether anything was repaired */
    public boolean repaired() {
      return truncatedBytes > 0 || droppedFailures > 0 || droppedInvalid > 0
          || droppedDuplicates > 0;
    }
  }

  /**
   * Opens (or creates) the results file, forcing every appended line to disk.
   *
   * @param file the JSONL results file; missing parent directories are created
   * @return the store
   * @throws ConfigurationException when the file cannot be written or another run holds it
   */
  public static ResultsStore open(Path file) {
    return open(file, true);
  }

  /**
   * Opens (or creates) the results file.
   *
   * @param file the JSONL results file; missing parent directories are created
   * @param force whether each append is forced to the disk (fsync); true survives a power cut
   * @return the store
   * @throws ConfigurationException when the file cannot be written or another run holds it
   */
  public static ResultsStore open(Path file, boolean force) {
    Path abs = file.toAbsolutePath();
    FileChannel lockChannel = null;
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
      if (Files.isDirectory(abs)) {
        throw new ConfigurationException(
            "--out " + file + " is a directory; give a file name such as " + file.resolve(
                "results.jsonl"));
      }
      if (Files.exists(abs) && !Files.isRegularFile(abs)) {
        throw new ConfigurationException("--out " + file + " is not a regular file (a device, a"
            + " FIFO or a socket); give the name of a results file such as results.jsonl");
      }
      Path lockFile = abs.resolveSibling(abs.getFileName() + ".lock");
      FileLock lock = null;
      for (int tries = 0; tries < 5 && lock == null; tries++) {
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        try {
          lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          break;
        }
        if (!Files.exists(lockFile)) {
          // the run that held it deleted it as it ended: lock the new one instead
          lock.release();
          closeQuietly(lockChannel);
          lock = null;
        }
      }
      if (lock == null) {
        throw new ConfigurationException(
            "another tpo run is writing " + file + " (lock " + lockFile
                + " is held); wait for it to finish or choose another --out");
      }
      Map<String, StoredResult> results = new LinkedHashMap<>();
      Recovery recovery = Files.exists(abs) ? repair(abs, results) : new Recovery(0, 0, 0, 0,
          List.of());
      FileChannel channel = FileChannel.open(abs, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new ResultsStore(abs, lockChannel, lock, channel, results, recovery, force);
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new ConfigurationException(
          "cannot write the results file " + file + ": " + e
              + "; check the permissions or choose another --out", e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  private static Recovery repair(Path file, Map<String, StoredResult> results) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    long truncated = bytes.length - end;
    List<byte[]> keep = new ArrayList<>();
    List<Integer> invalid = new ArrayList<>();
    int failures = 0;
    int duplicates = 0;
    int start = 0;
    int lineNr = 0;
    for (int i = 0; i < end; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      lineNr++;
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      byte[] raw = java.util.Arrays.copyOfRange(bytes, start, i + 1);
      start = i + 1;
      if (line.isBlank()) {
        continue;
      }
      Optional<ObjectNode> node = parseLine(line);
      if (node.isEmpty()) {
        invalid.add(lineNr);
        continue;
      }
      StoredResult r = summarize(node.get());
      if (r.failed()) {
        failures++;
        continue;
      }
      if (results.containsKey(r.id())) {
        duplicates++;
        continue;
      }
      results.put(r.id(), r);
      keep.add(raw);
    }
    Recovery recovery = new Recovery(truncated, failures, invalid.size(), duplicates, invalid);
    if (failures > 0 || !invalid.isEmpty() || duplicates > 0) {
      rewrite(file, keep);
    } else if (truncated > 0) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(end);
        ch.force(true);
      }
    }
    return recovery;
  }

  private static void rewrite(Path file, List<byte[]> lines) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      for (byte[] line : lines) {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Reads one non-blank line of a results file.
   *
   * @param line the line
   * @return the result, empty when the line is not a JSON object with an {@code id} (a torn or
   *     foreign line)
   */
  public static Optional<ObjectNode> parseLine(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      return Optional.empty();
    }
    return node != null && node.isObject() && node.hasNonNull("id")
        ? Optional.of((ObjectNode) node) : Optional.empty();
  }

  /**
   * Reads what the summary needs from one result line.
   *
   * @param node a result line
   * @return the summary of that line
   */
  public static StoredResult summarize(JsonNode node) {
    JsonNode usage = node.path("usage");
    return new StoredResult(
        node.path("id").asText(),
        node.hasNonNull("error"),
        number(node.get("score")),
        number(node.get("initial_best_score")),
        usage.path("prompt_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        usage.path("requests").asLong(0),
        runSettings(node));
  }

  /**
   * The run's settings stamp: {@code run_settings}, or in lines written before a result line was
   * the library's {@code TpoResult} JSON, the {@code settings} text (now the settings object).
   */
  private static String runSettings(JsonNode node) {
    if (node.has("run_settings")) {
      return node.path("run_settings").asText("");
    }
    JsonNode old = node.path("settings");
    return old.isTextual() ? old.asText() : "";
  }

  private static OptionalDouble number(JsonNode n) {
    return n != null && n.isNumber() ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty();
  }

  /** @return the results file */
  public Path file() {
    return file;
  }

  /** @return what {@link #open} found and repaired */
  public Recovery recovery() {
    return recovery;
  }

  /**
   * The ids that have a successful result, in file order.
   *
   * @return an immutable snapshot
   */
  public synchronized Set<String> doneIds() {
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(results.keySet()));
  }

  /**
   * Every result line of the file (earlier runs and this one), in order.
   *
   * @return an immutable snapshot
   */
  public synchronized List<StoredResult> results() {
    return List.copyOf(results.values());
  }

  /**
   * Appends one result line: the JSON, then a newline, in one write, forced to disk when the store
   * was opened so. A line with an {@code error} field records a failure; it is kept, and the next
   * run tries the prompt again.
   *
   * @param line the result object; must have a string {@code id}
   * @throws IllegalStateException when the id already has a result in this file
   * @throws UncheckedIOException when the write fails
   */
  public synchronized void append(ObjectNode line) {
    StoredResult r = summarize(line);
    if (!line.hasNonNull("id") || r.id().isEmpty()) {
      throw new IllegalArgumentException("a result line needs an \"id\"");
    }
    StoredResult previous = results.get(r.id());
    if (previous != null && !previous.failed()) {
      throw new IllegalStateException(
          "prompt " + r.id() + " already has a result in " + file + "; it is never written twice");
    }
    byte[] bytes;
    try {
      bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      if (force) {
        channel.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
    results.put(r.id(), r);
  }

  @Override
  public synchronized void close() {
    closeQuietly(channel);
    try {
      Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".lock"));
    } catch (IOException | RuntimeException e) {
      // a lock file left behind is harmless: the next run locks it again
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // the lock goes with the channel anyway
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // nothing to do: closing is best effort
    }
  }
}
