package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TpoLoopBudgetTest {

  @Test
  void contextsGetWhatTheWindowLeavesAfterResponseVariableAndTemplates() {
    assertThat(TpoLoop.contextBudget(TpoSettings.DEFAULTS)).isEqualTo(8192 - 2048 - 2048 - 1024);
    TpoSettings tight = TpoSettings.DEFAULTS.toBuilder().maxContextTokens(4096).build();
    assertThat(TpoLoop.contextBudget(tight)).isEqualTo(TpoLoop.MIN_CONTEXT_BUDGET_TOKENS);
  }
}
