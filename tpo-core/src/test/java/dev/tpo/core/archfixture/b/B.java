package dev.tpo.core.archfixture.b;

import dev.tpo.core.archfixture.a.A;

/** Fixture for ArchitectureRulesTest: imports package a, which imports this one. */
public final class B {
  private B() {}

  /** @return A's answer, so that the dependency exists in the class file */
  public static Object make() {
    return A.class.getName();
  }
}
