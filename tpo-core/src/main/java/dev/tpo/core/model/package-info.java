/**
 * The {@link dev.tpo.core.model.LanguageModel} SPI and its value types: chat requests with every
 * sampling setting, responses with choices, finish reasons and {@link dev.tpo.core.model.TokenUsage}.
 */
package dev.tpo.core.model;
