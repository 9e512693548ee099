/** Example: TPO runs as Micrometer meters and as an OpenTelemetry trace. */
package dev.tpo.examples.micrometer;
