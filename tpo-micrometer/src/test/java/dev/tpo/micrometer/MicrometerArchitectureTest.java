package dev.tpo.micrometer;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** tpo-micrometer's architecture: a TpoListener that records metrics, on the library. */
class MicrometerArchitectureTest {
  private static final JavaClasses MODULE = ArchitectureRules.mainClasses();

  @Test
  void hasNoPackageCycles() {
    ArchitectureRules.noPackageCycles().check(MODULE);
  }

  @Test
  void dependsOnNoModuleAbove() {
    ArchitectureRules.dependsOnNoPackageOf(ArchitectureRules.SPRING, ArchitectureRules.CLI,
        ArchitectureRules.EXAMPLES, ArchitectureRules.BENCHMARKS).check(MODULE);
  }

  @Test
  void usesNoInternalPackageOfAnotherModule() {
    ArchitectureRules.usesNoInternalPackageOfAnotherModule(MODULE).check(MODULE);
  }
}
