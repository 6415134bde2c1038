/**
 * What the model commands ({@code generate}, {@code score}, {@code prune}) share: loading a model
 * directory with one-line errors, the engine's thread budget, JSON Lines output and progress lines.
 */
package io.kdflow.cli.model;
