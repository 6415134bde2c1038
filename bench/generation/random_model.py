"""A model directory of a given shape with transformers' random initialisation, for the bart-base-shape rows of
bench/generation/compare.sh: the architecture of a config.json (e.g. bench/configs/bart-base-shape.json), the
vocabulary and tokenizer of an existing model directory (the bench teacher's), weights drawn with a fixed seed.

  $PY bench/generation/random_model.py --config bench/configs/bart-base-shape.json \
      --tokenizer-from runs/shakespeare-small/teacher --output /tmp/bart-base-shape

Speed does not depend on the weights' values except through where generation stops: random weights rarely emit
EOS, so most sequences run to --max-new-tokens, in both programs alike.
"""
import argparse
import json
import os
import shutil

import torch
from transformers import BartConfig, BartForConditionalGeneration, GenerationConfig


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--tokenizer-from", required=True, help="a model directory whose tokenizer files are copied")
    p.add_argument("--output", required=True)
    p.add_argument("--max-positions", type=int, default=128)
    a = p.parse_args()
    source = json.load(open(os.path.join(a.tokenizer_from, "config.json")))
    config = json.load(open(a.config))
    for key in ("vocab_size", "bos_token_id", "pad_token_id", "eos_token_id", "decoder_start_token_id"):
        config[key] = source[key]
    config["max_position_embeddings"] = a.max_positions
    config["forced_eos_token_id"] = None
    torch.manual_seed(0)
    model = BartForConditionalGeneration(BartConfig(**config)).eval()
    model.generation_config = GenerationConfig(decoder_start_token_id=config["decoder_start_token_id"],
                                               bos_token_id=config["bos_token_id"], eos_token_id=config["eos_token_id"],
                                               pad_token_id=config["pad_token_id"])
    model.save_pretrained(a.output)
    for name in os.listdir(a.tokenizer_from):
        if name.startswith("tokenizer") or name == "special_tokens_map.json":
            shutil.copy(os.path.join(a.tokenizer_from, name), a.output)
    print(f"{a.output}: {sum(t.numel() for t in model.state_dict().values()):,} parameters, vocab {config['vocab_size']}")


if __name__ == "__main__":
    main()
