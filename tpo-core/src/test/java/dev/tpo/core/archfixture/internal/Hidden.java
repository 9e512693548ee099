package dev.tpo.core.archfixture.internal;

/** Fixture for ArchitectureRulesTest: an internal package that package a uses. */
public final class Hidden {
  private Hidden() {}

  /** @return a value package a reads (a call, not a constant that javac would inline) */
  public static String value() {
    return "hidden";
  }
}
