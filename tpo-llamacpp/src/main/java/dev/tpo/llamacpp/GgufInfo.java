package dev.tpo.llamacpp;

import dev.tpo.core.error.ConfigurationException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What tpo-llamacpp reads from a GGUF file's header before handing it to the natives: the
 * architecture, the sizes needed to estimate the KV cache, whether the tokenizer adds a BOS token,
 * whether a chat template is stored, and whether the file holds all the tensor data its header
 * announces. Checking this in Java turns a missing, foreign or truncated file into a clear {@link
 * ConfigurationException} instead of a native failure.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param path the file
 * @param version the GGUF version
 * @param architecture {@code general.architecture}
 * @param name {@code general.name}, or the file name
 * @param blockCount layers
 * @param embeddingLength model width
 * @param headCount attention heads
 * @param headCountKv key/value heads
 * @param contextLength the trained context length, 0 when absent
 * @param addBos whether the tokenizer adds a BOS token to a prompt
 * @param hasChatTemplate whether {@code tokenizer.chat_template} is present
 * @param fileSize the file's size in bytes
 */
public record GgufInfo(
    Path path,
    int version,
    String architecture,
    String name,
    long blockCount,
    long embeddingLength,
    long headCount,
    long headCountKv,
    long contextLength,
    boolean addBos,
    boolean hasChatTemplate,
    long fileSize) {

  private static final int MAGIC = 0x46554747; // "GGUF" little-endian

  /**
   * Bytes of KV cache (F16 keys and values) for the given total context.
   *
   * @param contextSize the context size, all slots together
   * @return the estimated bytes
   */
  public long kvCacheBytes(long contextSize) {
    long kvWidth = headCount > 0 ? embeddingLength / headCount * Math.max(1, headCountKv) : 0;
    return 2L * 2L * blockCount * kvWidth * contextSize;
  }

  /**
   * Reads and checks a GGUF file's header.
   *
   * @param path the file
   * @return what the header says
   * @throws ConfigurationException naming the file and the fix when it is missing, not GGUF or
   *     truncated
   */
  public static GgufInfo read(Path path) {
    if (!Files.exists(path)) {
      throw new ConfigurationException(
          "model file " + path + " does not exist: give the path of a .gguf file (llama:/path/x.gguf)"
              + " or a hub file (hf:OWNER/REPO/FILE.gguf)");
    }
    if (Files.isDirectory(path)) {
      throw new ConfigurationException(
          "model file " + path + " is a directory: give the path of the .gguf file inside it");
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      Reader r = new Reader(ch);
      int magic;
      try {
        magic = r.i32();
      } catch (EOFException e) {
        throw notGguf(path, "it has only " + size + " bytes");
      }
      if (magic != MAGIC) {
        throw notGguf(path, "it does not start with the GGUF magic bytes");
      }
      int version = r.i32();
      if (version < 2 || version > 3) {
        throw new ConfigurationException(
            "model file " + path + " is GGUF version " + version + "; the bundled llama.cpp reads"
                + " versions 2 and 3: convert it again with a current llama.cpp convert script");
      }
      long tensorCount = r.i64();
      long kvCount = r.i64();
      if (tensorCount < 0 || kvCount < 0 || tensorCount > 1_000_000 || kvCount > 1_000_000) {
        throw truncated(path, "its header counts are implausible");
      }
      Map<String, Object> kv = new HashMap<>();
      for (long i = 0; i < kvCount; i++) {
        String key = r.str();
        int type = r.i32();
        kv.put(key, r.value(type));
      }
      long alignment = asLong(kv.get("general.alignment")).orElse(32L);
      long dataEnd = 0;
      for (long i = 0; i < tensorCount; i++) {
        r.str();
        int nDims = r.i32();
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
          elements *= r.i64();
        }
        int type = r.i32();
        long offset = r.i64();
        long bytes = tensorBytes(type, elements);
        dataEnd = Math.max(dataEnd, offset + bytes);
      }
      long dataStart = (r.position() + alignment - 1) / alignment * alignment;
      if (dataStart + dataEnd > size) {
        throw truncated(
            path,
            "its header announces " + (dataStart + dataEnd) + " bytes but the file has " + size);
      }
      String arch = (String) kv.getOrDefault("general.architecture", "");
      if (arch.isEmpty()) {
        throw new ConfigurationException(
            "model file " + path + " names no general.architecture: it is not a language model"
                + " GGUF; use an instruct model's GGUF such as " + LlamaCppModels.DEFAULT_MODEL_SPEC);
      }
      String name =
          kv.get("general.name") instanceof String s ? s : path.getFileName().toString();
      return new GgufInfo(
          path,
          version,
          arch,
          name,
          asLong(kv.get(arch + ".block_count")).orElse(0L),
          asLong(kv.get(arch + ".embedding_length")).orElse(0L),
          asLong(kv.get(arch + ".attention.head_count")).orElse(0L),
          asLong(kv.get(arch + ".attention.head_count_kv"))
              .orElse(asLong(kv.get(arch + ".attention.head_count")).orElse(0L)),
          asLong(kv.get(arch + ".context_length")).orElse(0L),
          kv.get("tokenizer.ggml.add_bos_token") instanceof Boolean b ? b : false,
          kv.containsKey("tokenizer.chat_template"),
          size);
    } catch (EOFException e) {
      throw truncated(path, "it ends inside its header");
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("model file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read model file " + path + ": " + e, e);
    }
  }

  private static ConfigurationException notGguf(Path path, String why) {
    return new ConfigurationException(
        "model file " + path + " is not a GGUF file (" + why + "): llama.cpp needs a .gguf model;"
            + " download one (for example " + LlamaCppModels.DEFAULT_MODEL_SPEC
            + ") or convert yours with llama.cpp's convert_hf_to_gguf.py");
  }

  private static ConfigurationException truncated(Path path, String why) {
    return new ConfigurationException(
        "model file " + path + " is truncated or damaged (" + why + "): delete it and download it"
            + " again (an hf: spec downloads and verifies it)");
  }

  private static Optional<Long> asLong(Object o) {
    return o instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
  }

  /** Bytes of a tensor of the given ggml type; block sizes from ggml.c (type traits). */
  private static long tensorBytes(int type, long elements) {
    // {block elements, block bytes} per ggml_type id
    long[][] traits = {
      {1, 4}, {1, 2}, {32, 18}, {32, 20}, null, null, {32, 22}, {32, 24}, {32, 34}, {32, 36},
      {256, 84}, {256, 110}, {256, 144}, {256, 176}, {256, 210}, {256, 292}, {256, 66},
      {256, 74}, {256, 98}, {256, 50}, {32, 18}, {256, 110}, {256, 82}, {256, 136}, {1, 1},
      {1, 2}, {1, 4}, {1, 8}, {1, 8}, {256, 56}, {1, 2}, null, null, null, {256, 54}, {256, 66},
    };
    if (type < 0 || type >= traits.length || traits[type] == null) {
      return 0; // unknown type: llama.cpp will judge
    }
    return elements / traits[type][0] * traits[type][1];
  }

  private static final class Reader {
    private final FileChannel ch;
    private final ByteBuffer small = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private long pos;

    Reader(FileChannel ch) {
      this.ch = ch;
    }

    long position() {
      return pos;
    }

    private ByteBuffer read(int n) throws IOException {
      ByteBuffer b = n <= 8 ? small.clear().limit(n) : ByteBuffer.allocate(n);
      b.order(ByteOrder.LITTLE_ENDIAN);
      while (b.hasRemaining()) {
        if (ch.read(b, pos + b.position()) < 0) {
          throw new EOFException();
        }
      }
      pos += n;
      return b.flip();
    }

    int i32() throws IOException {
      return read(4).getInt();
    }

    long i64() throws IOException {
      return read(8).getLong();
    }

    String str() throws IOException {
      long len = i64();
      if (len < 0 || len > 64L * 1024 * 1024 || pos + len > ch.size()) {
        throw new EOFException();
      }
      ByteBuffer b = read((int) len);
      return StandardCharsets.UTF_8.decode(b).toString();
    }

    Object value(int type) throws IOException {
      switch (type) {
        case 0:
        case 1:
          return (long) read(1).get();
        case 2:
        case 3:
          return (long) read(2).getShort();
        case 4:
          return i32() & 0xFFFFFFFFL;
        case 5:
          return (long) i32();
        case 6:
          return (double) Float.intBitsToFloat(i32());
        case 7:
          return read(1).get() != 0;
        case 8:
          return str();
        case 9:
          {
            int elemType = i32();
            long count = i64();
            if (count < 0 || count > 100_000_000) {
              throw new EOFException();
            }
            int fixed = fixedSize(elemType);
            if (fixed > 0) {
              skip(count * fixed);
            } else {
              for (long i = 0; i < count; i++) {
                value(elemType);
              }
            }
            return count;
          }
        case 10:
        case 11:
          return i64();
        case 12:
          return Double.longBitsToDouble(i64());
        default:
          throw new EOFException();
      }
    }

    private void skip(long n) throws IOException {
      if (pos + n > ch.size()) {
        throw new EOFException();
      }
      pos += n;
    }

    private static int fixedSize(int type) {
      switch (type) {
        case 0:
        case 1:
        case 7:
          return 1;
        case 2:
        case 3:
          return 2;
        case 4:
        case 5:
        case 6:
          return 4;
        case 10:
        case 11:
        case 12:
          return 8;
        default:
          return -1;
      }
    }
  }
}
