package dev.tpo.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.TpoSettings;
import org.junit.jupiter.api.Test;

class RefinementBudgetTest {

  @Test
  void contextsGetWhatTheWindowLeavesAfterResponseVariableAndTemplates() {
    assertThat(Refinement.contextBudget(TpoSettings.DEFAULTS)).isEqualTo(8192 - 2048 - 2048 - 1024);
    TpoSettings tight = new TpoSettings(5, 2, 0.7, 0.95, 7L, 2048, 4096, 2048, null, null);
    assertThat(Refinement.contextBudget(tight)).isEqualTo(Refinement.MIN_CONTEXT_BUDGET_TOKENS);
  }
}
