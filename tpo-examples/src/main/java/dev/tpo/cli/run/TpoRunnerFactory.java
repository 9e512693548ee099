package dev.tpo.cli.run;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.TpoListener;

/** Placeholder until the TPO loop lands. */
public final class TpoRunnerFactory implements RunnerFactory {
  @Override
  public Prepared prepare(RunConfig config, TpoListener listener) {
    throw new ConfigurationException("the TPO loop is not wired yet");
  }
}
