/** Text utilities that need no ML engine: token counting and budget truncation. */
package dev.tpo.core.text;
