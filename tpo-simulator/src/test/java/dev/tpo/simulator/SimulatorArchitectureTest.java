package dev.tpo.simulator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** tpo-simulator's architecture: a stand-alone server that depends on no module of ours. */
class SimulatorArchitectureTest {
  private static final JavaClasses SIMULATOR = ArchitectureRules.mainClasses();

  @Test
  void hasNoPackageCycles() {
    ArchitectureRules.noPackageCycles().check(SIMULATOR);
  }

  @Test
  void dependsOnNoOtherModuleOfOurs() {
    classes().should().onlyDependOnClassesThat(
            resideOutsideOfPackage("dev.tpo..").or(resideInAPackage("dev.tpo.simulator..")))
        .because("the simulator stands in for servers: it shares no code with the client side")
        .check(SIMULATOR);
  }

  @Test
  void usesNoInternalPackageOfAnotherModule() {
    ArchitectureRules.usesNoInternalPackageOfAnotherModule(SIMULATOR).check(SIMULATOR);
  }
}
