"""One transformers training step, for comparison with `./kdflow bench --mode train` on the same config (which may
set dropout: tools/torch-baseline/torch_bart_baseline.py has none): BartForConditionalGeneration in train mode,
AdamW (lr 1e-4, weight decay 1e-5), B rows of S source and T target tokens drawn uniformly from [4, vocab), labels
tgt[:, 1:] (T-1 positions, as the bench). 2 warm-up steps, then the mean of 6.

  $PY bench/training/hf_train_step.py CONFIG.json [--batch 32 --src 48 --tgt 48 --threads 2]
"""
import argparse
import json
import time

import torch
from transformers import BartConfig, BartForConditionalGeneration


def main():
    p = argparse.ArgumentParser()
    p.add_argument("config")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--src", type=int, default=48)
    p.add_argument("--tgt", type=int, default=48)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    config = json.load(open(a.config))
    model = BartForConditionalGeneration(BartConfig(**config)).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-5)
    src = torch.randint(4, config["vocab_size"], (a.batch, a.src))
    labels = torch.randint(4, config["vocab_size"], (a.batch, a.tgt))[:, 1:].contiguous()

    def step():
        model(input_ids=src, labels=labels).loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(6):
        step()
    seconds = (time.perf_counter() - start) / 6
    print(f"dropout={config.get('dropout', 0.1)} train_step_s={seconds:.4f} "
          f"train_tokens_per_s={a.batch * (a.tgt - 1) / seconds:.1f} torch={torch.__version__}")


if __name__ == "__main__":
    main()
