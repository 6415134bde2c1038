#!/usr/bin/env python3
"""Cross-check kdflow-written models against Hugging Face transformers (run where torch + transformers exist).

Usage: crosscheck.py BUNDLE_DIR

BUNDLE_DIR holds what kdflow produced (see tools/hf-crosscheck/README.md):
  models/<name>/               HF-layout directories written by kdflow (config.json, model.safetensors, ...)
  scores/<name>.jsonl          `./kdflow score` output for that model: {"id","nll","tokens"}
  score-input.jsonl            the {"id","source","target"} lines that were scored
  generate/<name>.jsonl        `./kdflow generate` output (greedy) on generate-input.jsonl, optional
  generate-input.jsonl         {"id","source"} lines, optional
  pruned-reference/<name>.safetensors   transformers' reference tensors for a pruned fixture, optional

For every model: transformers must load it, its mean token NLL on each scored pair must equal kdflow's
within 1e-4, greedy generations must be identical, and a pruned model's logits must match the reference
computed by transformers from the original checkpoint within 1e-4. Prints one line per check and exits 1
on any failure.
"""
import json
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import AutoModelForSeq2SeqLM, PreTrainedTokenizerFast

TOL = 1e-4
MAX_NEW_TOKENS = 24  # must equal the --max-new-tokens given to ./kdflow generate
failures = []


def check(name, ok, detail):
    print(("PASS " if ok else "FAIL ") + name + ": " + detail)
    if not ok:
        failures.append(name)


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def labels_for(tokenizer, model, text):
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    eos = model.config.eos_token_id
    return ids + [eos]


def main(bundle):
    bundle = Path(bundle)
    torch.manual_seed(0)
    for model_dir in sorted((bundle / "models").iterdir()):
        name = model_dir.name
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()
        tokenizer = PreTrainedTokenizerFast(tokenizer_file=str(model_dir / "tokenizer.json"))
        check(name + " loads", True, type(model).__name__ + ", %d parameters" % sum(p.numel() for p in model.parameters()))

        scores = bundle / "scores" / (name + ".jsonl")
        if scores.exists():
            expected = {row["id"]: row for row in read_jsonl(scores)}
            worst = 0.0
            for row in read_jsonl(bundle / "score-input.jsonl"):
                enc = tokenizer(row["source"], return_tensors="pt")
                labels = torch.tensor([labels_for(tokenizer, model, row["target"])])
                with torch.no_grad():
                    loss = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], labels=labels).loss.item()
                worst = max(worst, abs(loss - expected[row["id"]]["nll"]))
            check(name + " NLL", worst <= TOL, "max |kdflow - transformers| = %.2e over %d pairs" % (worst, len(expected)))

        generated = bundle / "generate" / (name + ".jsonl")
        if generated.exists():
            mismatches = 0
            rows = read_jsonl(bundle / "generate-input.jsonl")
            kdflow = {row["id"]: row for row in read_jsonl(generated)}
            for row in rows:
                enc = tokenizer(row["source"], return_tensors="pt")
                with torch.no_grad():
                    out = model.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=MAX_NEW_TOKENS)
                hf_ids = out[0].tolist()[1:]  # transformers starts with the decoder start token; kdflow does not
                ours = kdflow[row["id"]]["token_ids"][0]
                if hf_ids != ours:
                    mismatches += 1
                    print("  %s: transformers %s vs kdflow %s" % (row["id"], hf_ids, ours))
            check(name + " greedy", mismatches == 0, "%d of %d generations differ" % (mismatches, len(rows)))

        reference = bundle / "pruned-reference" / (name + ".safetensors")
        if reference.exists():
            ref = load_file(str(reference))
            with torch.no_grad():
                logits = model(input_ids=ref["input_ids"], attention_mask=ref["attention_mask"],
                               decoder_input_ids=ref["decoder_input_ids"]).logits
            diff = (logits - ref["logits_pruned_decoder_keep_first_last"]).abs().max().item()
            check(name + " pruned logits", diff <= TOL, "max abs diff %.2e vs transformers' pruned reference" % diff)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
