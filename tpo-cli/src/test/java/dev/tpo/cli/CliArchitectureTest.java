package dev.tpo.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** tpo-cli's architecture: the command, on top of the library and the simulator. */
class CliArchitectureTest {
  private static final JavaClasses CLI = ArchitectureRules.mainClasses();

  @Test
  void hasNoPackageCycles() {
    ArchitectureRules.noPackageCycles().check(CLI);
  }

  @Test
  void dependsOnNoModuleAbove() {
    ArchitectureRules.dependsOnNoPackageOf(ArchitectureRules.SPRING, ArchitectureRules.EXAMPLES,
        ArchitectureRules.BENCHMARKS).check(CLI);
  }

  @Test
  void usesNoInternalPackageOfAnotherModule() {
    ArchitectureRules.usesNoInternalPackageOfAnotherModule(CLI).check(CLI);
  }
}
