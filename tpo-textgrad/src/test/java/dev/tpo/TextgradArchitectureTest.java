package dev.tpo;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * tpo-textgrad's architecture: the engine, the TPO loop ({@code dev.tpo}, its internals in {@code
 * dev.tpo.internal}) and the network adapters ({@code dev.tpo.adapter..}), which know nothing of
 * the loop.
 */
class TextgradArchitectureTest {
  private static final JavaClasses TEXTGRAD = ArchitectureRules.mainClasses();

  @Test
  void hasNoPackageCycles() {
    ArchitectureRules.noPackageCycles().check(TEXTGRAD);
  }

  @Test
  void dependsOnNoModuleAbove() {
    ArchitectureRules.dependsOnNoPackageOf(ArchitectureRules.SIMULATOR,
        ArchitectureRules.REWARD_DJL, ArchitectureRules.LLAMACPP, ArchitectureRules.MICROMETER,
        ArchitectureRules.LANGCHAIN4J, ArchitectureRules.SPRING, ArchitectureRules.CLI,
        ArchitectureRules.EXAMPLES, ArchitectureRules.BENCHMARKS).check(TEXTGRAD);
  }

  @Test
  void adaptersNeverImportTheLoop() {
    noClasses().that().resideInAPackage("dev.tpo.adapter..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tpo", "dev.tpo.loop..")
        .orShould().dependOnClassesThat(resideInAPackage("..internal..")
            .and(resideOutsideOfPackage("dev.tpo.adapter..")))
        .because("adapters implement the SPIs of tpo-core; the loop uses them, never the reverse")
        .check(TEXTGRAD);
  }

  @Test
  void internalPackagesAreUsedOnlyByTheLoop() {
    ArchitectureRules.internalPackagesUsedOnlyFrom("dev.tpo").check(TEXTGRAD);
  }

  @Test
  void usesNoInternalPackageOfAnotherModule() {
    ArchitectureRules.usesNoInternalPackageOfAnotherModule(TEXTGRAD).check(TEXTGRAD);
  }
}
