package dev.tpo.spring.boot;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** tpo-spring-boot-starter's architecture: auto-configuration on top of the library. */
class SpringBootArchitectureTest {
  private static final JavaClasses MODULE = ArchitectureRules.mainClasses();

  @Test
  void hasNoPackageCycles() {
    ArchitectureRules.noPackageCycles().check(MODULE);
  }

  @Test
  void dependsOnNoModuleAbove() {
    ArchitectureRules.dependsOnNoPackageOf(ArchitectureRules.CLI, ArchitectureRules.EXAMPLES,
        ArchitectureRules.BENCHMARKS).check(MODULE);
  }

  @Test
  void usesNoInternalPackageOfAnotherModule() {
    ArchitectureRules.usesNoInternalPackageOfAnotherModule(MODULE).check(MODULE);
  }
}
