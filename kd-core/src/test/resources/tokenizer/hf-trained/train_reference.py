"""Trains the reference byte-level BPE with the Hugging Face tokenizers library (0.23.2 was used).

Usage: python train_reference.py DATA.jsonl bart|t5|gpt2 VOCAB_SIZE MIN_FREQUENCY OUT.json
Reads the `source` and `target` fields of every JSONL line, as kdflow's BpeTrainer tests do.
"""
import json
import sys

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

SPECIAL_TOKENS = {
    "bart": ["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
    "t5": ["<pad>", "</s>", "<unk>"],
    "gpt2": ["<|endoftext|>"],
}


def main(data, architecture, vocab_size, min_frequency, out):
    texts = []
    with open(data, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts.extend(record[field] for field in ("source", "target") if field in record)
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=int(vocab_size),
        min_frequency=int(min_frequency),
        special_tokens=SPECIAL_TOKENS[architecture],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer)
    tokenizer.save(out, pretty=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
