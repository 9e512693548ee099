/** Fixtures for ArchitectureRulesTest: a package cycle and an internal package. Test code only. */
package dev.tpo.core.archfixture;
