package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.AbstractOptimizer;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.AutogradException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.event.Phase;
import dev.tpo.textgrad.ModelRequests;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-run optimizer of {@link TextualGradientDescent}, in a propose/accept form so a caller can
 * keep or discard a step:
 *
 * <ul>
 *   <li>{@link #propose(int)} sends, per parameter, ONE update request with {@code n} choices and
 *       returns every parsed candidate and every dropped choice; nothing changes yet.
 *   <li>{@link #accept(Candidate)} (or {@link #accept(Variable, String)} for any value) sets the
 *       new value and records the replaced one in the parameter's history, which later update
 *       requests show as momentum.
 *   <li>{@link #step()} is {@code propose(1)} followed by accepting each parameter's candidate.
 * </ul>
 *
 * <p>Parsing each choice (see {@link ValueTags#parse(String, boolean)}, in the mode chosen by
 * whether the parameter's current value contains the tag text): a choice without the start tag
 * gets exactly ONE reformat request of its own (n=1, same sampling), showing its text and asking
 * for the value between the tags; if that answer has no start tag either, or a choice is empty,
 * the choice is dropped and reported in {@link ParameterProposal#dropped()}. When no choice of a parameter gives
 * a value, {@link #propose(int)} throws a {@link NoCandidateException} whose raw text holds
 * every choice (and reformat answer). Its requests carry the engine's tag as {@link
 * Phase#UPDATE}.
 *
 * <p>Requests: the update requests of all parameters go out together, then the reformat requests
 * of all untagged choices together; results are assembled in parameter and choice order, so they
 * do not depend on which answer arrives first.
 *
 * <p>Not thread-safe: one instance per run.
 */
public final class TgdOptimizer extends AbstractOptimizer {
  private final TextualGradientDescent settings;
  private final Map<Variable, List<String>> history = new IdentityHashMap<>();

  TgdOptimizer(TextualGradientDescent settings, List<Variable> parameters) {
    super(parameters);
    this.settings = settings;
    for (Variable p : parameters()) {
      history.put(p, new ArrayList<>());
    }
  }

  /** @return the settings this optimizer runs with */
  public TextualGradientDescent settings() {
    return settings;
  }

  /**
   * Proposes new values for every parameter without changing any.
   *
   * @param n how many choices to ask for per parameter, 1 to {@value ChatRequest#MAX_N}
   * @return the candidates and dropped choices of each parameter
   * @throws AutogradException when a parameter has no gradient
   * @throws NoCandidateException when no choice of a parameter gives a value (a failed request
   *     throws its own exception instead)
   */
  public Proposal propose(int n) {
    if (n < 1 || n > ChatRequest.MAX_N) {
      throw new ConfigurationException(
          "propose(n) needs n between 1 and " + ChatRequest.MAX_N + ", got " + n);
    }
    for (Variable p : parameters()) {
      requireGradients(p);
    }
    List<Variable> params = parameters();
    List<ChatRequest> updates = new ArrayList<>();
    for (Variable p : params) {
      updates.add(settings.sampling().applyTo(settings.engine().tagRequest(ChatRequest.builder()
              .messages(settings.updateMessages(p, history.get(p)))
              .n(n), Phase.UPDATE))
          .build());
    }
    List<ChatResponse> responses = ModelRequests.sendAll(settings.model(), updates);

    // Parse every choice; collect the untagged ones for one reformat request each.
    ValueTags tags = settings.tags();
    List<List<Slot>> slots = new ArrayList<>();
    List<Slot> untagged = new ArrayList<>();
    List<ChatRequest> reformats = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Variable p = params.get(i);
      boolean valueContainsTags = tags.occursIn(p.value());
      List<Slot> row = new ArrayList<>();
      for (ChatChoice choice : responses.get(i).choices()) {
        Slot slot = new Slot(choice, valueContainsTags);
        row.add(slot);
        if (!choice.text().isBlank()) {
          slot.parsed = tags.parse(choice.text(), valueContainsTags);
          if (slot.parsed.isEmpty()) {
            untagged.add(slot);
            reformats.add(reformatRequest(p, choice.text()));
          }
        }
      }
      slots.add(row);
    }
    List<ChatResponse> reformatted = reformats.isEmpty()
        ? List.of() : ModelRequests.sendAll(settings.model(), reformats);
    for (int k = 0; k < untagged.size(); k++) {
      Slot slot = untagged.get(k);
      slot.reformatRequest = reformats.get(k);
      slot.reformatResponse = reformatted.get(k);
      slot.parsed = tags.parse(reformatted.get(k).text(), slot.valueContainsTags);
    }

    List<ParameterProposal> proposals = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      proposals.add(assemble(params.get(i), n, updates.get(i), responses.get(i), slots.get(i)));
    }
    return new Proposal(proposals);
  }

  /** One choice of an update response on its way to a candidate or a dropped choice. */
  private static final class Slot {
    final ChatChoice choice;
    final boolean valueContainsTags;
    Optional<ValueTags.Parsed> parsed = Optional.empty();
    ChatRequest reformatRequest;
    ChatResponse reformatResponse;

    Slot(ChatChoice choice, boolean valueContainsTags) {
      this.choice = choice;
      this.valueContainsTags = valueContainsTags;
    }
  }

  private void requireGradients(Variable p) {
    if (p.gradients().isEmpty()) {
      throw new AutogradException("cannot propose a new value for " + p.describe() + ": it has no"
          + " gradient. Call backward() on a loss computed from it first, and do not call"
          + " zeroGrad() in between");
    }
  }

  private ParameterProposal assemble(Variable p, int n, ChatRequest update, ChatResponse response,
      List<Slot> row) {
    List<Candidate> candidates = new ArrayList<>();
    List<DroppedChoice> dropped = new ArrayList<>();
    ValueTags tags = settings.tags();
    for (Slot slot : row) {
      ChatChoice choice = slot.choice;
      String raw = choice.text();
      String reformatText = "";
      if (slot.reformatResponse != null) {
        reformatText = slot.reformatResponse.text();
      }
      if (raw.isBlank()) {
        dropped.add(new DroppedChoice(p, choice.index(), raw, "",
            "the choice is empty (finish reason " + choice.finishReason() + ")"));
      } else if (slot.parsed.isEmpty()) {
        dropped.add(new DroppedChoice(p, choice.index(), raw, reformatText,
            "no " + tags.start() + " in the choice nor in the answer to the reformat request"));
      } else if (slot.parsed.get().value().isEmpty()) {
        dropped.add(new DroppedChoice(p, choice.index(), raw, reformatText,
            "the value between " + tags.start() + " and " + tags.end() + " is empty"));
      } else {
        candidates.add(new Candidate(p, choice.index(), slot.parsed.get().value(),
            slot.parsed.get().complete(), slot.reformatResponse != null, choice.finishReason(),
            raw));
      }
    }
    if (candidates.isEmpty()) {
      throw noCandidate(p, n, dropped);
    }
    return new ParameterProposal(p, candidates, dropped, update);
  }

  private ChatRequest reformatRequest(Variable p, String raw) {
    return settings.sampling().applyTo(settings.engine().tagRequest(ChatRequest.builder()
            .system(UpdatePrompt.system(settings.engine(), settings.tags()))
            .user(UpdatePrompt.reformat(settings.engine(), settings.tags(), p, raw))
            .n(1), Phase.UPDATE))
        .build();
  }

  private NoCandidateException noCandidate(Variable p, int n, List<DroppedChoice> dropped) {
    StringBuilder raw = new StringBuilder();
    for (DroppedChoice d : dropped) {
      if (raw.length() > 0) {
        raw.append("\n\n");
      }
      raw.append("----- choice ").append(d.choiceIndex()).append(" -----\n").append(d.rawText());
      if (!d.reformatText().isEmpty()) {
        raw.append("\n----- reformat answer for choice ").append(d.choiceIndex())
            .append(" -----\n").append(d.reformatText());
      }
    }
    String reasons = dropped.stream()
        .map(d -> "choice " + d.choiceIndex() + ": " + d.reason())
        .reduce((a, b) -> a + "; " + b).orElse("");
    return new NoCandidateException(
        "textual gradient descent got no usable new value for " + p.describe() + " from "
            + n + " choice(s) (" + reasons + "). The model must answer with the value between "
            + settings.tags().start() + " and " + settings.tags().end() + ": use a model that"
            + " follows instructions, raise max tokens if answers are cut off, or adjust the"
            + " tgd-system/tgd-update templates. The raw text of every choice is in rawText()",
        raw.toString(), dropped);
  }

  /**
   * Sets a candidate as its parameter's new value; the replaced value joins the history.
   *
   * @param candidate a candidate proposed for one of this optimizer's parameters
   * @throws ConfigurationException when its parameter is not optimized here
   */
  public void accept(Candidate candidate) {
    accept(candidate.parameter(), candidate.value());
  }

  /**
   * Sets a new value of a parameter, from a candidate or anywhere else (for example the best
   * response of a TPO pool); the replaced value joins the history unless it is equal to the new.
   *
   * @param parameter one of this optimizer's parameters
   * @param value the new value
   * @throws ConfigurationException when the parameter is not optimized here
   */
  public void accept(Variable parameter, String value) {
    List<String> past = history.get(parameter);
    if (past == null) {
      throw new ConfigurationException(parameter.describe() + " is not a parameter of this"
          + " optimizer; its parameters are " + parameters().stream().map(Variable::describe)
          .toList());
    }
    String old = parameter.value();
    parameter.setValue(value);
    if (!old.equals(value)) {
      past.add(old);
    }
  }

  /**
   * Accepts the first candidate of every parameter.
   *
   * @param proposal a proposal of this optimizer
   */
  public void acceptFirst(Proposal proposal) {
    for (ParameterProposal p : proposal.parameters()) {
      accept(p.candidates().get(0));
    }
  }

  /**
   * The values a parameter had before each accepted change, oldest first.
   *
   * @param parameter one of this optimizer's parameters
   * @return an immutable snapshot
   */
  public List<String> history(Variable parameter) {
    List<String> past = history.get(parameter);
    if (past == null) {
      throw new ConfigurationException(parameter.describe() + " is not a parameter of this"
          + " optimizer");
    }
    return List.copyOf(past);
  }

  @Override
  protected void update() {
    acceptFirst(propose(1));
  }
}
