package dev.tpo.langchain4j;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** tpo-langchain4j's architecture: langchain4j models and scorers behind the SPIs, on the library. */
class LangChain4jArchitectureTest {
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
