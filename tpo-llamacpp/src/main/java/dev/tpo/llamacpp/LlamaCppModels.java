package dev.tpo.llamacpp;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.llamacpp.hub.HfFile;
import dev.tpo.llamacpp.hub.HubDownloader;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Factories for {@link LlamaCppModel}s named by a spec, and the embedded default model.
 *
 * <p>Specs: {@code llama:/path/model.gguf} (a local file) and {@code
 * hf:OWNER/REPO/FILE.gguf[@REVISION]} (a Hugging Face hub file, downloaded once into the cache by
 * {@link HubDownloader#fromEnvironment()}).
 *
 * <p>The embedded default is {@value #DEFAULT_MODEL_SPEC}: Qwen2.5-0.5B-Instruct at Q4_K_M
 * (Apache-2.0, about 490 MB, multilingual, follows instructions and a system prompt, ChatML
 * template stored in the file, usable on 2 CPU cores). See docs/local-models.md for why.
 *
 * <p>Stateless; thread-safe.
 */
public final class LlamaCppModels {
  /** Prefix of a local GGUF spec. */
  public static final String LOCAL_PREFIX = "llama:";
  /** The embedded default model: a small, permissively licensed instruct model in GGUF. */
  public static final String DEFAULT_MODEL_SPEC =
      "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf";
  /** The spec syntax, for help texts. */
  public static final String SYNTAX = "llama:/PATH/MODEL.gguf | hf:OWNER/REPO/FILE.gguf[@REVISION]";

  private LlamaCppModels() {}

  /**
   * Whether the spec names an in-process GGUF model (no I/O).
   *
   * @param spec the spec
   * @return true for {@code llama:...} and {@code hf:...}
   */
  public static boolean isSpec(String spec) {
    if (spec == null) {
      return false;
    }
    String s = spec.trim();
    return s.startsWith(LOCAL_PREFIX) || s.startsWith(HfFile.PREFIX);
  }

  /**
   * The local file a spec names, downloading a hub file into the cache first (with {@link
   * HubDownloader#fromEnvironment()}).
   *
   * @param spec {@code llama:PATH} or {@code hf:OWNER/REPO/FILE[@REVISION]}
   * @return the local file
   * @throws ConfigurationException when the spec is malformed, or the file cannot be had
   */
  public static Path resolve(String spec) {
    return resolve(spec, HubDownloader.fromEnvironment());
  }

  /**
   * The local file a spec names, downloading a hub file with the given downloader.
   *
   * @param spec {@code llama:PATH} or {@code hf:OWNER/REPO/FILE[@REVISION]}
   * @param hub the downloader
   * @return the local file
   */
  public static Path resolve(String spec, HubDownloader hub) {
    String s = spec == null ? "" : spec.trim();
    if (s.startsWith(LOCAL_PREFIX)) {
      String path = s.substring(LOCAL_PREFIX.length());
      if (path.isBlank()) {
        throw new ConfigurationException(
            "the spec '" + s + "' names no file: write llama:/path/to/model.gguf");
      }
      return Path.of(path);
    }
    if (s.startsWith(HfFile.PREFIX)) {
      return hub.resolve(HfFile.parse(s));
    }
    throw new ConfigurationException(
        "'" + s + "' is not a llama.cpp model spec: write " + SYNTAX);
  }

  /**
   * Loads the model a spec names with the default options (see {@link LlamaCppModelBuilder}).
   *
   * @param spec {@code llama:PATH} or {@code hf:OWNER/REPO/FILE[@REVISION]}
   * @return the loaded model; close it when the application stops
   */
  public static LlamaCppModel fromSpec(String spec) {
    return LlamaCppModel.builder().modelPath(resolve(spec)).build();
  }

  /**
   * Loads the embedded default model ({@value #DEFAULT_MODEL_SPEC}), downloading it once into the
   * cache, and says on stderr which model it is and where it is cached.
   *
   * @return the loaded model; close it when the application stops
   * @throws ConfigurationException when it is not cached and cannot be downloaded (the message
   *     names TPO_HF_ENDPOINT, TPO_OFFLINE and where to place the file by hand)
   */
  public static LlamaCppModel embeddedDefault() {
    return embeddedDefault(HubDownloader.fromEnvironment(), System.err);
  }

  /**
   * Loads the embedded default model with the given downloader, announcing it on {@code out}.
   *
   * @param hub the downloader
   * @param out where to say which model is used, or null
   * @return the loaded model
   */
  public static LlamaCppModel embeddedDefault(HubDownloader hub, PrintStream out) {
    HfFile file = HfFile.parse(DEFAULT_MODEL_SPEC);
    Path cached = hub.cachePath(file);
    if (out != null) {
      out.println(
          "tpo: no policy server configured; using the embedded model " + DEFAULT_MODEL_SPEC
              + " in process (llama.cpp), cached at " + cached);
    }
    Path path;
    try {
      path = hub.resolve(file);
    } catch (ConfigurationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "cannot download the embedded model " + DEFAULT_MODEL_SPEC + " (" + e.getMessage()
              + "): set TPO_HF_ENDPOINT to a reachable hub mirror, or place the file by hand at "
              + cached + " (and set TPO_OFFLINE=1), or use a policy server instead (tpo run"
              + " --base-url URL, or TPO_BASE_URL; see docs/servers.md)",
          e);
    }
    return LlamaCppModel.builder().modelPath(path).build();
  }
}
