/**
 * What the model commands ({@code generate}, {@code score}, {@code prune}) share besides kd-core's
 * {@link io.kdflow.core.model.ModelDirectory}: JSON Lines input and output, and progress lines.
 */
package io.kdflow.cli.model;
