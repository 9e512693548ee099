package dev.tpo.reward.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import org.junit.jupiter.api.Test;

/** Golden renderings of the chat templates. */
class ChatTemplateTest {

  @Test
  void llama3RendersUserThenAssistantWithoutGenerationPrompt() {
    assertThat(ChatTemplate.LLAMA_3.render("  Why blue?\n", "Rayleigh scattering. "))
        .isEqualTo("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhy blue?"
            + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nRayleigh scattering."
            + "<|eot_id|>");
  }

  @Test
  void llama31AddsTheDefaultSystemHeader() {
    assertThat(ChatTemplate.LLAMA_3_1.render("Q", "A"))
        .startsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>")
        .endsWith("<|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\nA<|eot_id|>");
  }

  @Test
  void placeholdersInTheTextsAreNotExpandedAgain() {
    ChatTemplate t = ChatTemplate.of("U: {prompt} | A: {response}");
    assertThat(t.render("say {response}", "I said {prompt}"))
        .isEqualTo("U: say {response} | A: I said {prompt}");
  }

  @Test
  void responseMayComeFirst() {
    assertThat(ChatTemplate.of("{response} <- {prompt}").render("p", "r")).isEqualTo("r <- p");
  }

  @Test
  void customTemplatesKeepWhiteSpaceUnlessAsked() {
    ChatTemplate t = ChatTemplate.of("[{prompt}][{response}]");
    assertThat(t.render(" p ", " r ")).isEqualTo("[ p ][ r ]");
    assertThat(t.withTrimmedContent(true).render(" p ", " r ")).isEqualTo("[p][r]");
  }

  @Test
  void rejectsMissingOrRepeatedPlaceholders() {
    assertThatThrownBy(() -> ChatTemplate.of("only {prompt}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("{response} exactly once");
    assertThatThrownBy(() -> ChatTemplate.of("{prompt}{prompt}{response}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("{prompt} exactly once");
  }
}
