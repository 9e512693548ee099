package dev.tpo.reward.djl;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** tpo-reward-djl's architecture: a RewardScorer over DJL, on tpo-core alone. */
class RewardDjlArchitectureTest {
  private static final JavaClasses DJL = ArchitectureRules.mainClasses();

  @Test
  void hasNoPackageCycles() {
    ArchitectureRules.noPackageCycles().check(DJL);
  }

  @Test
  void dependsOnTpoCoreOnly() {
    classes().should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.tpo..")
            .or(resideInAnyPackage("dev.tpo.core..", "dev.tpo.reward.djl..")))
        .because("a reward model in process needs the SPI, not the loop or the HTTP adapters")
        .check(DJL);
  }

  @Test
  void usesNoInternalPackageOfAnotherModule() {
    ArchitectureRules.usesNoInternalPackageOfAnotherModule(DJL).check(DJL);
  }
}
