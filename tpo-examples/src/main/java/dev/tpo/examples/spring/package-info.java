/** Example: a Spring Boot application with the TPO starter and three properties. */
package dev.tpo.examples.spring;
