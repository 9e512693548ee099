/**
 * The reliability suite at the API level: every fault the simulated OpenAI-compatible server and
 * reward endpoint can inject, components that throw, bad input, many prompts under transient
 * faults, and the API key kept out of every message. docs/reliability.md lists each case with its
 * outcome and the test that backs it.
 */
package dev.tpo.reliability;
