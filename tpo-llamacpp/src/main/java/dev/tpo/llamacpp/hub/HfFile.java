package dev.tpo.llamacpp.hub;

import dev.tpo.core.error.ConfigurationException;

/**
 * One file of a Hugging Face hub repository, as named by the spec {@code
 * hf:OWNER/REPO/PATH/FILE.gguf[@REVISION]}.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param owner the repository's owner
 * @param repo the repository's name
 * @param file the file's path inside the repository
 * @param revision a branch, tag or commit; {@code main} by default
 */
public record HfFile(String owner, String repo, String file, String revision) {
  /** The spec prefix. */
  public static final String PREFIX = "hf:";

  /**
   * Validates the parts.
   *
   * @param owner the repository's owner
   * @param repo the repository's name
   * @param file the file's path inside the repository
   * @param revision a branch, tag or commit
   */
  public HfFile {
    for (String part : new String[] {owner, repo, file, revision}) {
      if (part == null || part.isBlank() || part.contains("..") || part.contains("\\")) {
        throw new ConfigurationException(
            "hub file parts must be non-blank without '..' or '\\', got owner=" + owner + ", repo="
                + repo + ", file=" + file + ", revision=" + revision);
      }
    }
  }

  /**
   * Parses {@code hf:OWNER/REPO/FILE[@REVISION]}.
   *
   * @param spec the spec
   * @return the file
   * @throws ConfigurationException naming the spec and the expected form when it has no file name
   */
  public static HfFile parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    if (!s.startsWith(PREFIX)) {
      throw new ConfigurationException(
          "'" + s + "' is not a hub spec: write hf:OWNER/REPO/FILE.gguf[@REVISION]");
    }
    String body = s.substring(PREFIX.length());
    String revision = "main";
    int at = body.lastIndexOf('@');
    if (at >= 0) {
      revision = body.substring(at + 1);
      body = body.substring(0, at);
    }
    String[] parts = body.split("/", 3);
    if (parts.length < 3 || parts[2].isBlank() || parts[2].endsWith("/")) {
      throw new ConfigurationException(
          "the hub spec '" + s + "' names no file: write hf:OWNER/REPO/FILE.gguf[@REVISION], for"
              + " example hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf"
              + " (a repository holds several quantisations; pick one file)");
    }
    if (revision.isBlank()) {
      throw new ConfigurationException(
          "the hub spec '" + s + "' has an empty revision after '@': name a branch, tag or"
              + " commit, or leave out '@' for main");
    }
    return new HfFile(parts[0], parts[1], parts[2], revision);
  }

  /**
   * The spec that names this file.
   *
   * @return {@code hf:OWNER/REPO/FILE}, with {@code @REVISION} unless it is {@code main}
   */
  public String spec() {
    return PREFIX + owner + "/" + repo + "/" + file + (revision.equals("main") ? "" : "@" + revision);
  }

  /**
   * The file's name without folders.
   *
   * @return the last path segment
   */
  public String fileName() {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? file : file.substring(slash + 1);
  }
}
