package dev.tpo.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tpo.simulator.ChatCall;
import dev.tpo.simulator.ChatResponder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Measure 8's climbing answers (the measure itself never runs in the build). */
class PrefixMeasureTest {
  private static ChatCall call(boolean update, String user) {
    return new ChatCall("sim-model", List.of(new ChatCall.Message("user", user)), 2, 7L, 0.7,
        null, update, JsonNodeFactory.instance.objectNode());
  }

  @Test
  void updateAnswersClimbOneLevelAboveTheChosenUpToThePlateau() {
    ChatResponder climbing = PrefixMeasure.climbing(ChatResponder.fixed("answer"));
    assertThat(climbing.respond(call(true, "<CURRENT_VALUE>answer</CURRENT_VALUE>")))
        .containsExactly("[level 1] answer", "[level 1] answer");
    assertThat(climbing.respond(call(true, "rejected [level 0] x, chosen [level 1] y")))
        .containsOnly("[level 2] answer");
    assertThat(climbing.respond(call(true, "chosen [level 2] y")))
        .containsOnly("[level " + PrefixMeasure.PLATEAU + "] answer");
    // sampling, loss and gradient answers carry no level
    assertThat(climbing.respond(call(false, "chosen [level 1] y"))).containsOnly("answer");
  }
}
