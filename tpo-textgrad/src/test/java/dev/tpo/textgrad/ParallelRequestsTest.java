package dev.tpo.textgrad;

import dev.tpo.core.model.CallTag;
import dev.tpo.core.model.CallRecorder;
import dev.tpo.core.model.CallRecord;
import dev.tpo.core.event.Phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.ops.FormattedLlmCall;
import dev.tpo.textgrad.optim.Proposal;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Independent requests go out together, and results are assembled in a fixed order whatever
 * order the answers arrive in.
 */
@Timeout(10)
class ParallelRequestsTest {

  /**
   * Holds every request until {@code expected} are in flight, then answers them in REVERSE order.
   * A caller that waited for each answer before sending the next would time out.
   */
  static final class ReverseOrderModel implements LanguageModel {
    private final int expected;
    private final Function<ChatRequest, List<String>> answers;
    private final List<CompletableFuture<ChatResponse>> pending = new ArrayList<>();
    private final List<ChatRequest> requests = new ArrayList<>();
    final List<Integer> completionOrder = Collections.synchronizedList(new ArrayList<>());

    ReverseOrderModel(int expected, Function<ChatRequest, List<String>> answers) {
      this.expected = expected;
      this.answers = answers;
    }

    @Override
    public synchronized CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
      CompletableFuture<ChatResponse> f = new CompletableFuture<>();
      pending.add(f);
      requests.add(request);
      if (pending.size() == expected) {
        for (int i = expected - 1; i >= 0; i--) {
          completionOrder.add(i);
          pending.get(i).complete(ScriptedLanguageModel.respond(
              requests.get(i), answers.apply(requests.get(i)), FinishReason.STOP));
        }
      }
      return f;
    }
  }

  @Test
  void critiquesOfOneOperationGoOutTogetherAndLandInForwardOrder() {
    ScriptedLanguageModel forward = new ScriptedLanguageModel().thenAnswer("out");
    ReverseOrderModel backward = new ReverseOrderModel(2, r -> {
      String user = r.messages().get(1).content();
      return List.of(user.contains("<VARIABLE>\nfirst\n") ? "about first" : "about second");
    });
    CallRecorder recorder = new CallRecorder();
    TextGradEngine engine = TextGradEngine.builder().forwardModel(forward.withInterceptors(recorder))
        .backwardModel(backward.withInterceptors(recorder)).tag(new CallTag(Phase.LOSS, 1)).build();
    Variable a = Variable.parameter("first", "input a");
    Variable b = Variable.parameter("second", "input b");
    Variable out = FormattedLlmCall.builder(engine).template("{{a}} / {{b}}").build()
        .forward(Map.of("b", b, "a", a));
    out.addGradient(TextualGradient.direct(out, "be better"));
    out.backward();

    assertThat(backward.completionOrder).containsExactly(1, 0);
    assertThat(a.gradients()).extracting(TextualGradient::feedback).containsExactly("about first");
    assertThat(b.gradients()).extracting(TextualGradient::feedback)
        .containsExactly("about second");
    assertThat(recorder.calls()).extracting(CallRecord::phase)
        .containsExactly(Phase.LOSS, Phase.GRADIENT, Phase.GRADIENT);
    assertThat(recorder.calls()).extracting(CallRecord::round).containsOnly(1);
  }

  @Test
  void updatesOfSeveralParametersGoOutTogether() {
    ReverseOrderModel model = new ReverseOrderModel(2, r -> {
      String user = r.messages().get(1).content();
      String v = user.contains("<CURRENT_VALUE>\nalpha\n") ? "ALPHA" : "BETA";
      return List.of("<NEW_VALUE>" + v + "</NEW_VALUE>");
    });
    Variable a = Variable.parameter("alpha", "text a");
    Variable b = Variable.parameter("beta", "text b");
    a.addGradient(TextualGradient.direct(a, "caps"));
    b.addGradient(TextualGradient.direct(b, "caps"));
    Proposal p = TextualGradientDescent.builder(TextGradEngine.of(model)).build()
        .optimizer(a, b).propose(1);
    assertThat(p.forParameter(a).values()).containsExactly("ALPHA");
    assertThat(p.forParameter(b).values()).containsExactly("BETA");
    assertThat(model.completionOrder).containsExactly(1, 0);
  }
}
