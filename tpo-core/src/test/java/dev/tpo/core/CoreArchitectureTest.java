package dev.tpo.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tpo.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** tpo-core's architecture: the bottom of the stack, contracts only. */
class CoreArchitectureTest {
  private static final JavaClasses CORE = ArchitectureRules.mainClasses();

  @Test
  void hasNoPackageCycles() {
    ArchitectureRules.noPackageCycles().check(CORE);
  }

  @Test
  void importsNothingOfOursOutsideCore() {
    classes().should().onlyDependOnClassesThat(
            resideOutsideOfPackage("dev.tpo..").or(resideInAPackage("dev.tpo.core..")))
        .because("tpo-core is the bottom of the stack")
        .check(CORE);
  }

  @Test
  void importsNoHttpClientSdkOrMlEngine() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "okhttp3..", "okio..", "com.openai..", "java.net.http..", "org.apache.http..",
            "org.apache.hc..", "io.netty..", "retrofit2..", "ai.djl..", "ai.onnxruntime..",
            "org.pytorch..", "de.kherud..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.HttpURLConnection")
        .because("HTTP clients, SDKs and ML engines live in the adapter modules")
        .check(CORE);
  }

  @Test
  void usesNoInternalPackageOfAnotherModule() {
    ArchitectureRules.usesNoInternalPackageOfAnotherModule(CORE).check(CORE);
  }
}
