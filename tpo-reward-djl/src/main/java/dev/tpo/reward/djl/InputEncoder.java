package dev.tpo.reward.djl;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.Arrays;

/**
 * Turns (prompt, response) into token ids the way the reference does: the chat template without a
 * doubled BOS, or the tokenizer's text pair; then cuts inputs longer than the maximum length on
 * the configured side, keeping the special tokens the tokenizer put at both ends.
 *
 * <p>Thread-safe: the Hugging Face tokenizer encodes concurrently, and this class has no mutable
 * state.
 */
final class InputEncoder {

  /** One encoded input; {@code originalLength} is the length before truncation. */
  record Encoded(long[] ids, long[] typeIds, int originalLength) {
    boolean truncated() {
      return originalLength > ids.length;
    }
  }

  private final HuggingFaceTokenizer tokenizer;
  private final InputFormat format;
  private final int maxLength;
  private final TruncationSide side;
  private final String addedBos;

  InputEncoder(HuggingFaceTokenizer tokenizer, InputFormat format, int maxLength,
      TruncationSide side) {
    this.tokenizer = tokenizer;
    this.format = format;
    this.maxLength = maxLength;
    this.side = side;
    this.addedBos = leadingSpecialToken(tokenizer);
  }

  Encoded encode(String prompt, String response) {
    Encoding e;
    if (format.isPair()) {
      e = tokenizer.encode(prompt, response, true, false);
    } else {
      e = tokenizer.encode(renderChat(prompt, response), true, false);
    }
    return truncate(e.getIds(), e.getTypeIds(), e.getSpecialTokenMask());
  }

  /** The chat text as it goes to the tokenizer: a BOS the tokenizer adds itself is removed. */
  String renderChat(String prompt, String response) {
    String text = format.chatTemplate().orElseThrow().render(prompt, response);
    if (addedBos != null && text.startsWith(addedBos)) {
      return text.substring(addedBos.length());
    }
    return text;
  }

  int maxLength() {
    return maxLength;
  }

  private Encoded truncate(long[] ids, long[] types, long[] special) {
    int n = ids.length;
    if (n <= maxLength) {
      return new Encoded(ids, types, n);
    }
    int lead = 0;
    while (lead < n && special[lead] == 1) {
      lead++;
    }
    int trail = 0;
    while (trail < n - lead && special[n - 1 - trail] == 1) {
      trail++;
    }
    int content = maxLength - lead - trail;
    if (content <= 0) {
      // Only possible with an absurdly small maximum; a plain cut still never overflows.
      return new Encoded(Arrays.copyOf(ids, maxLength), Arrays.copyOf(types, maxLength), n);
    }
    int from = side == TruncationSide.RIGHT ? lead : n - trail - content;
    return new Encoded(splice(ids, lead, from, content, trail),
        splice(types, lead, from, content, trail), n);
  }

  private static long[] splice(long[] a, int lead, int from, int content, int trail) {
    long[] out = new long[lead + content + trail];
    System.arraycopy(a, 0, out, 0, lead);
    System.arraycopy(a, from, out, lead, content);
    System.arraycopy(a, a.length - trail, out, lead + content, trail);
    return out;
  }

  /** The special token the tokenizer puts first by itself (BOS, [CLS]), or null if none. */
  private static String leadingSpecialToken(HuggingFaceTokenizer tokenizer) {
    Encoding empty = tokenizer.encode("", true, false);
    if (empty.getIds().length > 0 && empty.getSpecialTokenMask()[0] == 1) {
      return empty.getTokens()[0];
    }
    return null;
  }
}
