package dev.tpo.core.archfixture.a;

import dev.tpo.core.archfixture.b.B;
import dev.tpo.core.archfixture.internal.Hidden;

/** Fixture for ArchitectureRulesTest: imports package b, which imports this one back. */
public final class A {
  private A() {}

  /** @return a B and a Hidden, so that the dependencies exist in the class file */
  public static Object use() {
    return new Object[] {B.make(), Hidden.value()};
  }
}
