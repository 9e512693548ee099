/**
 * Running many prompts: the {@link dev.tpo.cli.run.PromptRunner} seam over the TPO loop, the
 * {@link dev.tpo.cli.run.RunDriver} that runs prompts concurrently and writes each result and trace
 * as it finishes, and the probe of the servers before a run starts.
 */
package dev.tpo.cli.run;
