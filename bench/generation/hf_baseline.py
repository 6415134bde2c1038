"""The transformers side of bench/generation/compare.sh: what a PyTorch user runs for the same work as the
product's commands, on the same model directory and inputs.

  hf_baseline.py generate ...  like `./kdflow generate`: greedy, beam search, or K samples per input
  hf_baseline.py score ...     like `./kdflow score`: teacher-forced mean token NLL of each target given its
                               source, in batches of the file's order

Prints one line of key=value pairs: loop_s (the generate calls / forward passes only), tokens (new tokens up to
and including EOS, as kdflow counts them / target tokens, EOS included), tokens_per_s, total_s (from interpreter
start), peak_rss_mib; score adds mean_nll.
"""
import argparse
import json
import resource
import time

T0 = time.time()

import torch  # noqa: E402  (imports are part of what a user waits for: total_s counts them)
from transformers import AutoTokenizer, BartForConditionalGeneration  # noqa: E402


def generate(a, tok, model, rows):
    eos = model.config.eos_token_id
    kwargs = dict(max_new_tokens=a.max_new_tokens, num_beams=a.num_beams, do_sample=a.sample > 0)
    if a.sample:
        kwargs.update(num_return_sequences=a.sample, top_k=50, top_p=0.95, temperature=1.0)
    if a.top_logprobs:
        kwargs.update(output_logits=True, return_dict_in_generate=True)
    tokens, loop = 0, 0.0
    for i in range(0, len(rows), a.batch_size):
        batch = tok([r["source"] for r in rows[i:i + a.batch_size]], return_tensors="pt", padding=True,
                    truncation=True, max_length=a.max_source_tokens)
        start = time.perf_counter()
        out = model.generate(**batch, **kwargs)
        if a.top_logprobs:
            # the sparse teacher distribution of every position: top-k of the unscaled log-softmax
            for logits in out.logits:
                torch.log_softmax(logits.float(), dim=-1).topk(a.top_logprobs, dim=-1)
            out = out.sequences
        loop += time.perf_counter() - start
        for row in out[:, 1:].tolist():  # after the decoder start token
            tokens += row.index(eos) + 1 if eos in row else len(row)
    return loop, tokens, ""


def score(a, tok, model, rows):
    tokens, nll_sum, loop = 0, 0.0, 0.0
    for i in range(0, len(rows), a.batch_size):
        batch = rows[i:i + a.batch_size]
        enc = tok([r["source"] for r in batch], return_tensors="pt", padding=True, truncation=True,
                  max_length=a.max_source_tokens)
        # labels as kdflow scores them: the target's ids after <s>, ending with </s>
        labels = tok([r["target"] for r in batch], return_tensors="pt", padding=True, truncation=True,
                     max_length=a.max_target_tokens + 1).input_ids[:, 1:]
        labels = labels.masked_fill(labels == tok.pad_token_id, -100)
        start = time.perf_counter()
        logits = model(**enc, labels=labels).logits
        nll = torch.nn.functional.cross_entropy(logits.transpose(1, 2), labels, reduction="none",
                                                ignore_index=-100).sum(1)
        counts = (labels != -100).sum(1)
        loop += time.perf_counter() - start
        tokens += int(counts.sum())
        nll_sum += float((nll / counts).sum())
    return loop, tokens, f" mean_nll={nll_sum / len(rows):.6f}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["generate", "score"])
    p.add_argument("--model", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--max-source-tokens", type=int, default=64)
    p.add_argument("--max-target-tokens", type=int, default=64, help="score: cut targets to N tokens")
    p.add_argument("--max-new-tokens", type=int, default=48)
    p.add_argument("--num-beams", type=int, default=1)
    p.add_argument("--sample", type=int, default=0, help="generate K samples per input (top-k 50, top-p 0.95)")
    p.add_argument("--top-logprobs", type=int, default=0,
                   help="also take the top-k log-probs of every generated position (what a PT record carries)")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(a.model)
    model = BartForConditionalGeneration.from_pretrained(a.model).eval()
    rows = [json.loads(line) for line in open(a.input, encoding="utf-8") if line.strip()]
    with torch.inference_mode():
        loop, tokens, extra = (generate if a.mode == "generate" else score)(a, tok, model, rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"loop_s={loop:.3f} tokens={tokens} tokens_per_s={tokens / loop:.1f}{extra} "
          f"total_s={time.time() - T0:.2f} peak_rss_mib={peak:.0f} torch={torch.__version__}")


if __name__ == "__main__":
    main()
