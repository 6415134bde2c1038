/**
 * The data side of BART's denoising pre-training (Lewis et al. 2019), framework-free and on token ids:
 * text infilling ({@link TextInfilling}: Poisson(lambda) spans over about 30% of the words, each replaced
 * by one {@code <mask>}), sentence permutation ({@link SentencePermutation}) and a deterministic builder of
 * (noised source ids, original target ids) pairs per (seed, epoch, text) ({@link DenoisingExamples}) that a
 * training loop batches like gold pairs. Pre-training a teacher this way before fine-tuning teaches it to
 * read its source, where training from scratch on a little parallel data tends to give an unconditional
 * language model.
 */
package io.kdflow.core.pretrain;
