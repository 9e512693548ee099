package dev.tpo.textgrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.loss.LlmTextLoss;
import dev.tpo.textgrad.optim.Proposal;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import dev.tpo.textgrad.optim.TgdOptimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One engine, loss and TGD configuration shared by many runs on many threads. */
@Timeout(30)
class ConcurrentRunsTest {

  /** Answers from the request alone, so concurrent runs cannot see each other's steps. */
  static ChatResponse answer(ChatRequest request) {
    String user = request.messages().get(request.messages().size() - 1).content();
    List<String> texts = new ArrayList<>();
    int s = user.indexOf("<CURRENT_VALUE>\n");
    for (int i = 0; i < request.n(); i++) {
      if (s >= 0) {
        String value = user.substring(s + 16, user.indexOf("\n</CURRENT_VALUE>"));
        texts.add("<NEW_VALUE>" + value + " +" + i + "</NEW_VALUE>");
      } else {
        texts.add("feedback on: " + user.substring(0, Math.min(30, user.length())));
      }
    }
    return ScriptedLanguageModel.respond(request, texts, FinishReason.STOP);
  }

  @Test
  void sharedConfigurationServesIndependentRuns() throws Exception {
    ScriptedLanguageModel model = new ScriptedLanguageModel().otherwise(ConcurrentRunsTest::answer);
    TextGradEngine engine = TextGradEngine.of(model);
    LlmTextLoss loss = LlmTextLoss.builder(engine).instruction("Judge the response.").build();
    TextualGradientDescent tgd = TextualGradientDescent.builder(engine).momentumWindow(2).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int run = 0; run < 32; run++) {
        String start = "response of run " + run;
        results.add(pool.submit(() -> {
          Variable response = Variable.parameter(start, "a response");
          TgdOptimizer optimizer = tgd.optimizer(response);
          for (int round = 0; round < 2; round++) {
            optimizer.zeroGrad();
            Variable l = loss.evaluate(response);
            l.backward();
            assertThat(response.gradients()).singleElement()
                .satisfies(g -> assertThat(g.context().input()).isEqualTo(response.value()));
            Proposal p = optimizer.propose(3);
            optimizer.accept(p.candidates().get(2));
          }
          assertThat(optimizer.history(response)).containsExactly(start, start + " +2");
          return response.value();
        }));
      }
      List<String> values = new ArrayList<>();
      for (Future<String> f : results) {
        values.add(f.get(20, TimeUnit.SECONDS));
      }
      for (int run = 0; run < 32; run++) {
        assertThat(values.get(run)).isEqualTo("response of run " + run + " +2 +2");
      }
      assertThat(Collections.frequency(values, values.get(0))).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    // 32 runs x 2 rounds x (evaluation + critique + update)
    assertThat(model.requests()).hasSize(32 * 2 * 3);
  }
}
