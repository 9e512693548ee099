/**
 * Example: a custom {@link dev.tpo.core.autograd.TextLoss} (a rubric grader) driving TextGrad-style
 * textual gradient descent on one answer.
 */
package dev.tpo.examples.customloss;
