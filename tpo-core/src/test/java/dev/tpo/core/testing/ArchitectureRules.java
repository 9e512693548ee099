package dev.tpo.core.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The architecture rules every module's {@code ArchitectureTest} checks with ArchUnit, against that
 * module's own main classes ({@link #mainClasses()}):
 *
 * <ul>
 *   <li>{@link #noPackageCycles()}: no two packages import each other, directly or around a loop;
 *   <li>{@link #dependsOnNoPackageOf(String...)}: modules' dependencies point down only (a module
 *       names the packages of the modules above it);
 *   <li>{@link #usesNoInternalPackageOfAnotherModule(JavaClasses)} and {@link
 *       #internalPackagesUsedOnlyFrom(String...)}: a package named {@code internal} is used only
 *       inside its module, and there only from the places its {@code package-info} names.
 * </ul>
 *
 * <p>Packages of the modules, bottom up: {@code tpo-core} {@code dev.tpo.core..}; {@code
 * tpo-simulator} {@code dev.tpo.simulator..} (depends on none of ours); {@code tpo-textgrad}
 * {@code dev.tpo}, {@code dev.tpo.adapter..}, {@code dev.tpo.textgrad..} and the loop's packages;
 * {@code tpo-reward-djl} {@code dev.tpo.reward.djl..}; {@code tpo-llamacpp} {@code
 * dev.tpo.llamacpp..}; {@code tpo-micrometer} {@code dev.tpo.micrometer..} and {@code
 * tpo-langchain4j} {@code dev.tpo.langchain4j..} (on tpo-core and tpo-textgrad); {@code
 * tpo-spring-boot-starter} {@code dev.tpo.spring..}; {@code tpo-cli} {@code dev.tpo.cli..}; then
 * {@code tpo-examples} and {@code tpo-benchmarks}.
 *
 * <p>Stateless; thread-safe.
 */
public final class ArchitectureRules {
  /** The packages of tpo-simulator. */
  public static final String SIMULATOR = "dev.tpo.simulator..";
  /** The packages of tpo-reward-djl. */
  public static final String REWARD_DJL = "dev.tpo.reward.djl..";
  /** The packages of tpo-llamacpp. */
  public static final String LLAMACPP = "dev.tpo.llamacpp..";
  /** The packages of tpo-micrometer. */
  public static final String MICROMETER = "dev.tpo.micrometer..";
  /** The packages of tpo-langchain4j. */
  public static final String LANGCHAIN4J = "dev.tpo.langchain4j..";
  /** The packages of tpo-spring-boot-starter. */
  public static final String SPRING = "dev.tpo.spring..";
  /** The packages of tpo-cli. */
  public static final String CLI = "dev.tpo.cli..";
  /** The packages of tpo-examples. */
  public static final String EXAMPLES = "dev.tpo.examples..";
  /** The packages of tpo-benchmarks. */
  public static final String BENCHMARKS = "dev.tpo.benchmarks..";

  /** Every package its own slice, for the cycle check. */
  private static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      return pkg.equals("dev.tpo") || pkg.startsWith("dev.tpo.")
          ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "each package of dev.tpo";
    }
  };

  private ArchitectureRules() {}

  /**
   * The main classes of the module under test: its {@code target/classes} (Maven runs a module's
   * tests in the module's directory), so that each module is checked on its own code.
   *
   * @return the classes
   * @throws IllegalStateException when the directory is missing (tests not run by Maven)
   */
  public static JavaClasses mainClasses() {
    Path classes = Path.of("target", "classes");
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException("no " + classes.toAbsolutePath() + ": run the architecture"
          + " test through Maven from the module's directory, after compiling it");
    }
    return new ClassFileImporter().importPath(classes);
  }

  /**
   * No package cycles: no two packages of {@code dev.tpo} import each other, directly or around a
   * loop.
   *
   * @return the rule
   */
  public static ArchRule noPackageCycles() {
    return slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles()
        .because("a package cycle makes a module one tangle; helpers return values instead of"
            + " reaching back");
  }

  /**
   * Modules' dependencies point down only: no class depends on the packages of modules above.
   *
   * @param packagesAbove the packages of the modules above this one, as ArchUnit package patterns
   * @return the rule
   */
  public static ArchRule dependsOnNoPackageOf(String... packagesAbove) {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(packagesAbove)
        .because("modules' dependencies point down only (tpo-core at the bottom, tpo-cli,"
            + " tpo-examples and tpo-benchmarks at the top)");
  }

  /**
   * No class depends on a package named {@code internal} of another module.
   *
   * @param own this module's classes, from {@link #mainClasses()}
   * @return the rule
   */
  public static ArchRule usesNoInternalPackageOfAnotherModule(JavaClasses own) {
    Set<String> ownPackages = own.stream().map(JavaClass::getPackageName)
        .collect(Collectors.toSet());
    DescribedPredicate<JavaClass> foreignInternal = DescribedPredicate.describe(
        "reside in a package named internal of another module",
        c -> c.getPackageName().matches("(.*\\.)?internal(\\..*)?")
            && !ownPackages.contains(c.getPackageName()));
    return noClasses().should().dependOnClassesThat(foreignInternal)
        .because("internal packages are not an API: only their own module uses them");
  }

  /**
   * This module's packages named {@code internal} are used only from the given packages (the ones
   * their {@code package-info} documents) and from internal packages.
   *
   * @param allowed the packages allowed to use them, as ArchUnit package patterns
   * @return the rule (passes when the module has no internal package)
   */
  public static ArchRule internalPackagesUsedOnlyFrom(String... allowed) {
    String[] patterns = Stream.concat(Arrays.stream(allowed), Stream.of("..internal.."))
        .toArray(String[]::new);
    return classes().that().resideInAPackage("..internal..")
        .should().onlyHaveDependentClassesThat().resideInAnyPackage(patterns)
        .allowEmptyShould(true)
        .because("internal packages are used only where their package-info says");
  }
}
