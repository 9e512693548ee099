package dev.tpo.textgrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.loss.LlmTextLoss;
import dev.tpo.textgrad.ops.FormattedLlmCall;
import dev.tpo.textgrad.ops.LlmCall;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import dev.tpo.textgrad.optim.ValueTags;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EngineConfigTest {

  @Test
  void backwardModelDefaultsToForwardModelAndToBuilderKeepsEverything() {
    ScriptedLanguageModel fwd = new ScriptedLanguageModel().named("fwd");
    ScriptedLanguageModel bwd = new ScriptedLanguageModel().named("bwd");
    TextGradEngine single = TextGradEngine.of(fwd);
    assertThat(single.backwardModel()).isSameAs(fwd);
    assertThat(single.contextBudgetTokens())
        .isEqualTo(TextGradEngine.DEFAULT_CONTEXT_BUDGET_TOKENS);

    Sampling s = Sampling.builder().temperature(0.2).seed(3L).build();
    TextGradEngine two = single.toBuilder().backwardModel(bwd).backwardSampling(s)
        .contextBudgetTokens(100).build();
    TextGradEngine copy = two.toBuilder().build();
    assertThat(copy.forwardModel()).isSameAs(fwd);
    assertThat(copy.backwardModel()).isSameAs(bwd);
    assertThat(copy.backwardSampling()).isEqualTo(s);
    assertThat(copy.contextBudgetTokens()).isEqualTo(100);
    assertThat(single.backwardSampling()).isEqualTo(Sampling.DEFAULT);
    assertThat(single.toBuilder().forwardModel(bwd).build().backwardModel()).isSameAs(bwd);
  }

  @Test
  void invalidSettingsNameTheFieldAndValue() {
    assertThatThrownBy(() -> TextGradEngine.builder().build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TextGradEngine.forwardModel");
    assertThatThrownBy(() -> TextGradEngine.builder().forwardModel(new ScriptedLanguageModel())
        .contextBudgetTokens(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> Sampling.builder().temperature(3.0).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Sampling.temperature").hasMessageContaining("3.0");
    assertThatThrownBy(() -> Sampling.builder().topP(0.0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Sampling.topP");
    assertThatThrownBy(() -> Sampling.builder().maxTokens(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Sampling.maxTokens");
    TextGradEngine engine = TextGradEngine.of(new ScriptedLanguageModel());
    assertThatThrownBy(() -> TextualGradientDescent.builder(engine).momentumWindow(-1).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("momentumWindow");
    assertThatThrownBy(() -> TextualGradientDescent.builder(engine)
        .constraints(List.of("ok", " ")).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("constraints[1]");
  }

  @Test
  void samplingIsSentAsSetAndUnsetFieldsAreNotSent() {
    ChatRequest.Builder b = ChatRequest.builder().user("x");
    Sampling.builder().topP(0.95).putExtraBody("min_p", 0.1).build().applyTo(b);
    ChatRequest r = b.build();
    assertThat(r.topP()).contains(0.95);
    assertThat(r.temperature()).isEmpty();
    assertThat(r.seed()).isEmpty();
    assertThat(r.maxTokens()).isEmpty();
    assertThat(r.extraBody()).containsEntry("min_p", 0.1);
  }

  @Test
  void replacedTemplateIsWhatTheModelReceives() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("<V>new</V>");
    TextGradEngine engine = TextGradEngine.builder().forwardModel(model)
        .template(PromptTemplates.TGD_SYSTEM, "Custom system. Use {{start_tag}} and {{end_tag}}.")
        .build();
    Variable v = Variable.parameter("old", "a text");
    v.addGradient(TextualGradient.direct(v, "improve"));
    TextualGradientDescent.builder(engine).tags(new ValueTags("<V>", "</V>")).build()
        .optimizer(v).step();
    assertThat(model.request(0).messages().get(0).content())
        .isEqualTo("Custom system. Use <V> and </V>.");
    assertThat(v.value()).isEqualTo("new");
    assertThat(PromptTemplates.defaults().get(PromptTemplates.TGD_SYSTEM).text())
        .doesNotContain("Custom");
  }

  @Test
  void componentsDefaultToTheForwardOrBackwardSideOfTheEngine() {
    ScriptedLanguageModel fwd = new ScriptedLanguageModel().named("fwd");
    ScriptedLanguageModel bwd = new ScriptedLanguageModel().named("bwd");
    Sampling fs = Sampling.builder().temperature(0.1).build();
    Sampling bs = Sampling.builder().temperature(0.9).build();
    TextGradEngine engine = TextGradEngine.builder().forwardModel(fwd).backwardModel(bwd)
        .forwardSampling(fs).backwardSampling(bs).build();

    LlmCall.Builder call = LlmCall.builder(engine);
    assertThat(call.effectiveModel()).isSameAs(fwd);
    assertThat(call.effectiveSampling()).isEqualTo(fs);
    FormattedLlmCall.Builder formatted = FormattedLlmCall.builder(engine).template("{{x}}");
    assertThat(formatted.effectiveModel()).isSameAs(fwd);
    LlmTextLoss loss = LlmTextLoss.builder(engine).instruction("judge").build();
    assertThat(loss.model()).isSameAs(bwd);
    assertThat(loss.sampling()).isEqualTo(bs);
    TextualGradientDescent tgd = TextualGradientDescent.builder(engine).build();
    assertThat(tgd.model()).isSameAs(bwd);
    assertThat(tgd.sampling()).isEqualTo(bs);
    TextualGradientDescent onPolicy = tgd.toBuilder().model(fwd).sampling(fs).build();
    assertThat(onPolicy.model()).isSameAs(fwd);
    assertThat(onPolicy.sampling()).isEqualTo(fs);
    assertThat(onPolicy.toBuilder().build().model()).isSameAs(fwd);

    assertThatThrownBy(() -> formatted.outputRole(" ").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("FormattedLlmCall.outputRole is blank");
    assertThatThrownBy(() -> call.outputRole(null).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LlmCall.outputRole is blank");
  }
}
