package dev.tpo.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.tpo.core.archfixture.a.A;
import dev.tpo.core.archfixture.b.B;
import dev.tpo.core.archfixture.internal.Hidden;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The shared rules catch what they are for, on fixture classes that break them. */
class ArchitectureRulesTest {
  private static final JavaClasses FIXTURES =
      new ClassFileImporter().importClasses(A.class, B.class, Hidden.class);

  @Test
  void theCycleRuleReportsTwoPackagesThatImportEachOther() {
    assertThatThrownBy(() -> ArchitectureRules.noPackageCycles().check(FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("dev.tpo.core.archfixture.a")
        .hasMessageContaining("dev.tpo.core.archfixture.b");
    assertThatCode(() -> ArchitectureRules.noPackageCycles()
        .check(new ClassFileImporter().importClasses(Hidden.class))).doesNotThrowAnyException();
  }

  @Test
  void theInternalRuleReportsAUseFromAnUndocumentedPlace() {
    assertThatThrownBy(() -> ArchitectureRules
            .internalPackagesUsedOnlyFrom("dev.tpo.core.archfixture.b").check(FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(A.class.getName());
    assertThatCode(() -> ArchitectureRules
            .internalPackagesUsedOnlyFrom("dev.tpo.core.archfixture.a").check(FIXTURES))
        .doesNotThrowAnyException();
  }

  @Test
  void theInternalRuleReportsAnotherModulesInternalPackage() {
    JavaClasses onlyA = new ClassFileImporter().importClasses(A.class);
    assertThatThrownBy(() -> ArchitectureRules.usesNoInternalPackageOfAnotherModule(onlyA)
            .check(onlyA))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(Hidden.class.getName());
    assertThatCode(() -> ArchitectureRules.usesNoInternalPackageOfAnotherModule(FIXTURES)
        .check(FIXTURES)).doesNotThrowAnyException();
  }

  @Test
  void theLayeringRuleReportsADependencyOnAModuleAbove() {
    assertThatThrownBy(() -> ArchitectureRules
            .dependsOnNoPackageOf("dev.tpo.core.archfixture.internal..").check(FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(A.class.getName());
  }
}
