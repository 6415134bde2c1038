/**
 * A minimal training loop: AdamW with PyTorch semantics, linear warmup/decay, gradient accumulation
 * and clipping, one NDManager per micro-batch.
 */
package io.kdflow.core.train;
