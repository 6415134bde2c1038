/**
 * Input files of {@code ./kdflow metrics}: JSON Lines predictions and references, paired by id, with
 * one-line errors that name the file, line and field of bad input.
 */
package io.kdflow.cli.metrics;
