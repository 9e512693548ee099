package dev.tpo.llamacpp;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** tpo-llamacpp's architecture: a LanguageModel in process, on tpo-core alone. */
class LlamacppArchitectureTest {
  private static final JavaClasses LLAMACPP = ArchitectureRules.mainClasses();

  @Test
  void hasNoPackageCycles() {
    ArchitectureRules.noPackageCycles().check(LLAMACPP);
  }

  @Test
  void dependsOnTpoCoreOnly() {
    classes().should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.tpo..")
            .or(resideInAnyPackage("dev.tpo.core..", "dev.tpo.llamacpp..")))
        .because("a model in process needs the SPI, not the loop or the HTTP adapters")
        .check(LLAMACPP);
  }

  @Test
  void usesNoInternalPackageOfAnotherModule() {
    ArchitectureRules.usesNoInternalPackageOfAnotherModule(LLAMACPP).check(LLAMACPP);
  }
}
