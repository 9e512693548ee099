package dev.tpo.reward.djl;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorerProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Creates a {@link DjlRewardScorer} from a reward spec: {@code djl:/path/to/model-dir} or a plain
 * directory path (one containing a {@code /}, such as {@code ./rm} or {@code /models/rm}),
 * optionally followed by {@code ?key=value&...} with the keys {@code engine} ({@code onnx}, {@code
 * pytorch}), {@code device} ({@code cpu}, {@code gpu}, {@code gpu:N}), {@code format} ({@code
 * auto}, {@code pair}, {@code llama3}, {@code llama3.1}), {@code batchSize}, {@code maxLength},
 * {@code truncation} ({@code right}, {@code left}), {@code predictors} and {@code model} (the model
 * file name). Registered for {@link java.util.ServiceLoader} in {@code
 * META-INF/services/dev.tpo.core.reward.RewardScorerProvider}.
 *
 * <p>Stateless; thread-safe. The scorers it creates must be closed by the caller.
 */
public final class DjlRewardScorerProvider implements RewardScorerProvider {
  private static final String PREFIX = "djl:";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public DjlRewardScorerProvider() {}

  @Override
  public String name() {
    return "djl";
  }

  /**
   * Accepts {@code djl:...}, and paths without a URL scheme that contain a {@code /} or {@code \}.
   * Does no I/O: whether the directory exists is checked by {@link #create}.
   */
  @Override
  public boolean supports(String spec) {
    String s = spec.trim();
    if (s.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return true;
    }
    String path = pathPart(s);
    return !path.contains("://") && (path.contains("/") || path.contains("\\"));
  }

  @Override
  public RewardScorer create(String spec, RewardScorerContext context) {
    String s = spec.trim();
    if (s.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      s = s.substring(PREFIX.length());
    }
    String pathText = pathPart(s);
    if (pathText.isBlank()) {
      throw new ConfigurationException("reward spec '" + spec + "' names no directory: write "
          + syntax());
    }
    DjlRewardScorerBuilder builder = DjlRewardScorer.builder().modelDirectory(toPath(pathText,
        spec));
    int q = s.indexOf('?');
    if (q >= 0) {
      for (String param : s.substring(q + 1).split("&")) {
        if (!param.isEmpty()) {
          apply(builder, param, spec);
        }
      }
    }
    return builder.build();
  }

  @Override
  public String syntax() {
    return "djl:/path/to/model-dir[?engine=onnx|pytorch&device=cpu|gpu:N&format=auto|pair|llama3"
        + "|llama3.1&batchSize=N&maxLength=N&truncation=right|left&predictors=N&model=FILE]";
  }

  private static void apply(DjlRewardScorerBuilder builder, String param, String spec) {
    int eq = param.indexOf('=');
    String key = eq < 0 ? param : param.substring(0, eq);
    String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
    switch (key) {
      case "engine":
        builder.engine(RewardEngine.parse(value));
        break;
      case "device":
        builder.device(value);
        break;
      case "format":
        builder.inputFormat(format(value));
        break;
      case "batchSize":
        builder.batchSize(number(key, value, spec));
        break;
      case "maxLength":
        builder.maxLength(number(key, value, spec));
        break;
      case "predictors":
        builder.predictors(number(key, value, spec));
        break;
      case "truncation":
        builder.truncationSide(TruncationSide.parse(value));
        break;
      case "model":
        builder.modelFile(value);
        break;
      default:
        throw new ConfigurationException("unknown parameter '" + key + "' in reward spec '" + spec
            + "': the djl scorer accepts engine, device, format, batchSize, maxLength,"
            + " truncation, predictors and model");
    }
  }

  private static InputFormat format(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "auto":
        return null;
      case "pair":
        return InputFormat.pair();
      case "llama3":
      case "llama-3":
        return InputFormat.chat(ChatTemplate.LLAMA_3);
      case "llama3.1":
      case "llama-3.1":
        return InputFormat.chat(ChatTemplate.LLAMA_3_1);
      default:
        throw new ConfigurationException("format '" + value + "' is not known: use auto (from"
            + " tokenizer_config.json), pair (encoder models), llama3 or llama3.1; other chat"
            + " templates need the Java builder with ChatTemplate.of(...)");
    }
  }

  private static int number(String key, String value, String spec) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(key + " must be a whole number, got '" + value
          + "' in reward spec '" + spec + "'", e);
    }
  }

  private static Path toPath(String text, String spec) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new ConfigurationException("reward spec '" + spec + "' holds an invalid path '" + text
          + "': " + e.getMessage(), e);
    }
  }

  private static String pathPart(String s) {
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }
}
