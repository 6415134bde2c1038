/**
 * Our own reader and writer of the safetensors format: bounds-checked (a corrupt file gives a
 * {@link io.kdflow.core.safetensors.SafetensorsFormatException}, never an oversized allocation),
 * lazily read, sharded checkpoints via {@code model.safetensors.index.json}, and files that
 * {@code transformers} reads back.
 */
package io.kdflow.core.safetensors;
