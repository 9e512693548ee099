package dev.tpo.textgrad.prompt;

import dev.tpo.core.error.ConfigurationException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one registry of every prompt the project sends: the TextGrad engine's (gradient, update and
 * loss prompts), the TPO loop's ({@link #SAMPLING_SYSTEM}, {@link #TPO_LOSS}, {@link
 * #REVISION_LOSS}, and the {@code shared-*} prompts of the {@code PREFIX_SHARED} layout) and the LLM judge's ({@link #JUDGE_SYSTEM} and the other {@code judge-*}).
 * {@link #defaults()} holds the built-in set, read from the class path ({@code
 * dev/tpo/textgrad/prompts/}, {@code dev/tpo/prompts/} and {@code dev/tpo/adapter/reward/prompts/},
 * one {@code <name>.txt} each); {@link #with(String, String)} returns a copy in which one template
 * is replaced, and {@code Tpo.builder().prompt(name, text)}, {@code
 * TextGradEngine.builder().template(name, text)} and {@code JudgeRewardScorer.builder().prompts(...)}
 * take such copies. An engine template's replacement may use any subset of the placeholders of the
 * built-in it replaces, and no other (the engine fills exactly those); a TPO or judge template's
 * replacement must use exactly the built-in's placeholders.
 *
 * <p>Immutable; thread-safe. Share one instance between runs.
 */
public final class PromptTemplates {
  /** The system prompt of every backward (critique) request. */
  public static final String BACKWARD_SYSTEM = "backward-system";
  /** The user prompt of a backward request: conversation, variable, objective. */
  public static final String BACKWARD_USER = "backward-user";
  /** The conversation of an LLM call, shown in backward requests. */
  public static final String CONVERSATION_LLM_CALL = "conversation-llm-call";
  /** The conversation of a function call, shown in backward requests. */
  public static final String CONVERSATION_FUNCTION = "conversation-function";
  /** The objective of a backward request when the output is the loss. */
  public static final String OBJECTIVE_LOSS = "objective-loss";
  /** The objective of a backward request when the output already received feedback. */
  public static final String OBJECTIVE_CHAIN = "objective-chain";
  /** One named field (a role and a value), for multi-field inputs. */
  public static final String FIELD = "field";
  /** Stands in for a context field that is the variable itself, shown in full elsewhere. */
  public static final String VARIABLE_REFERENCE = "variable-reference";
  /** What a scored loss appends to its evaluation instruction. */
  public static final String LOSS_SCORE_INSTRUCTION = "loss-score-instruction";
  /** The system prompt of a textual-gradient-descent update request. */
  public static final String TGD_SYSTEM = "tgd-system";
  /** The user prompt of an update request. */
  public static final String TGD_UPDATE = "tgd-update";
  /** One gradient in an update request. */
  public static final String TGD_GRADIENT = "tgd-gradient";
  /** The context of one gradient in an update request. */
  public static final String TGD_GRADIENT_CONTEXT = "tgd-gradient-context";
  /** The constraints section of an update request. */
  public static final String TGD_CONSTRAINTS = "tgd-constraints";
  /** One constraint in the constraints section. */
  public static final String TGD_CONSTRAINT = "tgd-constraint";
  /** The in-context examples section of an update request. */
  public static final String TGD_EXAMPLES = "tgd-examples";
  /** One in-context example in the examples section. */
  public static final String TGD_EXAMPLE = "tgd-example";
  /** The momentum section (past values) of an update request. */
  public static final String TGD_MOMENTUM = "tgd-momentum";
  /** One past value in the momentum section. */
  public static final String TGD_PAST_VALUE = "tgd-past-value";
  /** The request that asks to re-wrap an answer that lacked the tags. */
  public static final String TGD_REFORMAT = "tgd-reformat";
  /** The system prompt of the TPO sampling request (no placeholder). */
  public static final String SAMPLING_SYSTEM = "sampling-system";
  /** The TPO loss instruction ({@code query}, {@code rejected}). */
  public static final String TPO_LOSS = "tpo-loss";
  /** The revision-mode loss instruction ({@code query}). */
  public static final String REVISION_LOSS = "revision-loss";
  /**
   * The system prompt of every loss, gradient and update request of the {@code PREFIX_SHARED}
   * prompt layout: the fixed instructions of the three tasks (no placeholder).
   */
  public static final String SHARED_SYSTEM = "shared-system";
  /**
   * The block that starts the user message of every loss, gradient and update request of a round
   * in the {@code PREFIX_SHARED} layout, TPO mode ({@code query}, {@code rejected}, {@code
   * chosen}).
   */
  public static final String SHARED_BLOCK = "shared-block";
  /** The shared block of the revision mode, without a rejected answer ({@code query}, {@code chosen}). */
  public static final String SHARED_REVISION_BLOCK = "shared-revision-block";
  /** The {@code PREFIX_SHARED} loss task of the TPO mode (no placeholder). */
  public static final String SHARED_LOSS = "shared-loss";
  /** The {@code PREFIX_SHARED} loss task of the revision mode (no placeholder). */
  public static final String SHARED_REVISION_LOSS = "shared-revision-loss";
  /** The {@code PREFIX_SHARED} gradient task ({@code evaluation}, {@code role}). */
  public static final String SHARED_GRADIENT = "shared-gradient";
  /**
   * The {@code PREFIX_SHARED} update task ({@code evaluation}, {@code feedback}, {@code role},
   * {@code constraints}, {@code start_tag}, {@code end_tag}).
   */
  public static final String SHARED_UPDATE = "shared-update";
  /** The LLM judge's system prompt ({@code max}, {@code rubric}). */
  public static final String JUDGE_SYSTEM = "judge-system";
  /** The LLM judge's user message ({@code prompt}, {@code response}, {@code format}). */
  public static final String JUDGE_USER = "judge-user";
  /** The LLM judge's answer format with a tag ({@code max}). */
  public static final String JUDGE_FORMAT_TAGGED = "judge-format-tagged";
  /** The LLM judge's answer format as JSON ({@code max}). */
  public static final String JUDGE_FORMAT_JSON = "judge-format-json";
  /** The LLM judge's request to answer again in the format ({@code max}). */
  public static final String JUDGE_RETRY = "judge-retry";
  /** The LLM judge's default rubric (no placeholder). */
  public static final String JUDGE_RUBRIC = "judge-rubric";

  /** The TextGrad engine's templates, in the order they are documented. */
  public static final List<String> ENGINE_NAMES = List.of(
      BACKWARD_SYSTEM, BACKWARD_USER, CONVERSATION_LLM_CALL, CONVERSATION_FUNCTION,
      OBJECTIVE_LOSS, OBJECTIVE_CHAIN, FIELD, VARIABLE_REFERENCE, LOSS_SCORE_INSTRUCTION,
      TGD_SYSTEM, TGD_UPDATE, TGD_GRADIENT, TGD_GRADIENT_CONTEXT, TGD_CONSTRAINTS, TGD_CONSTRAINT,
      TGD_EXAMPLES, TGD_EXAMPLE, TGD_MOMENTUM, TGD_PAST_VALUE, TGD_REFORMAT);

  /** The TPO loop's templates: the reference layout's, then the {@code PREFIX_SHARED} layout's. */
  public static final List<String> TPO_NAMES = List.of(SAMPLING_SYSTEM, TPO_LOSS, REVISION_LOSS,
      SHARED_SYSTEM, SHARED_BLOCK, SHARED_REVISION_BLOCK, SHARED_LOSS, SHARED_REVISION_LOSS,
      SHARED_GRADIENT, SHARED_UPDATE);

  /** The LLM judge's templates. */
  public static final List<String> JUDGE_NAMES = List.of(JUDGE_SYSTEM, JUDGE_USER,
      JUDGE_FORMAT_TAGGED, JUDGE_FORMAT_JSON, JUDGE_RETRY, JUDGE_RUBRIC);

  /** Every template name: the engine's, the TPO loop's, then the judge's. */
  public static final List<String> NAMES = concat(ENGINE_NAMES, TPO_NAMES, JUDGE_NAMES);

  /** Where the templates that are not the engine's live, and which must keep every placeholder. */
  private static final Map<String, String> OTHER_DIRS = otherDirs();

  private static Map<String, String> otherDirs() {
    Map<String, String> dirs = new java.util.HashMap<>();
    for (String name : TPO_NAMES) {
      dirs.put(name, "/dev/tpo/prompts/");
    }
    for (String name : JUDGE_NAMES) {
      dirs.put(name, "/dev/tpo/adapter/reward/prompts/");
    }
    return Map.copyOf(dirs);
  }

  private static final String RESOURCE_DIR = "/dev/tpo/textgrad/prompts/";

  private static final class Defaults {
    static final PromptTemplates INSTANCE = load();
  }

  private final Map<String, PromptTemplate> templates;

  private PromptTemplates(Map<String, PromptTemplate> templates) {
    this.templates = Collections.unmodifiableMap(new LinkedHashMap<>(templates));
  }

  /**
   * The built-in templates (read from the class path once, then shared).
   *
   * @return the default set
   */
  public static PromptTemplates defaults() {
    return Defaults.INSTANCE;
  }

  private static PromptTemplates load() {
    Map<String, PromptTemplate> map = new LinkedHashMap<>();
    for (String name : NAMES) {
      map.put(name, PromptTemplate.fromResource(name,
          OTHER_DIRS.getOrDefault(name, RESOURCE_DIR) + name + ".txt"));
    }
    return new PromptTemplates(map);
  }

  /**
   * The template with the given name.
   *
   * @param name one of {@link #NAMES}
   * @return the template
   * @throws ConfigurationException when the name is unknown
   */
  public PromptTemplate get(String name) {
    PromptTemplate t = templates.get(name);
    if (t == null) {
      throw unknown(name);
    }
    return t;
  }

  /**
   * Renders the named template.
   *
   * @param name the template name
   * @param values the placeholder values
   * @return the rendered text
   */
  public String render(String name, Map<String, String> values) {
    return get(name).render(values);
  }

  /**
   * A copy with one template replaced.
   *
   * @param name one of {@link #NAMES}
   * @param text the new template text; may use any placeholders of the built-in template
   * @return the new set; this one is unchanged
   * @throws ConfigurationException when the name is unknown or the text uses a placeholder the
   *     engine does not fill for that template
   */
  public PromptTemplates with(String name, String text) {
    PromptTemplate builtIn = defaults().templates.get(name);
    if (builtIn == null) {
      throw unknown(name);
    }
    PromptTemplate replacement = PromptTemplate.of(name, text);
    if (OTHER_DIRS.containsKey(name)) {
      replacement.requireExactly(builtIn.placeholders());
    }
    Set<String> extra = new HashSet<>(replacement.placeholders());
    extra.removeAll(builtIn.placeholders());
    if (!extra.isEmpty()) {
      throw new ConfigurationException(
          "replacement for template '" + name + "' uses " + new TreeSet<>(extra)
              + ", which the engine does not fill; use only " + builtIn.placeholders());
    }
    Map<String, PromptTemplate> copy = new LinkedHashMap<>(templates);
    copy.put(name, replacement);
    return new PromptTemplates(copy);
  }

  /**
   * A copy with several templates replaced; see {@link #with(String, String)}.
   *
   * @param replacements template texts by name
   * @return the new set
   */
  public PromptTemplates withAll(Map<String, String> replacements) {
    PromptTemplates result = this;
    for (Map.Entry<String, String> e : replacements.entrySet()) {
      result = result.with(e.getKey(), e.getValue());
    }
    return result;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new java.util.ArrayList<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return List.copyOf(all);
  }

  private static ConfigurationException unknown(String name) {
    return new ConfigurationException(
        "unknown prompt template '" + name + "'; the templates are " + NAMES);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTemplates && ((PromptTemplates) o).templates.equals(templates);
  }

  @Override
  public int hashCode() {
    return templates.hashCode();
  }

  @Override
  public String toString() {
    return "PromptTemplates" + templates.keySet();
  }
}
