"""The transformers side of bench/generation/compare.sh: what a PyTorch user runs for the same work as
`./kdflow generate` (greedy, beam search, or K samples per input), on the same model directory and inputs.

Prints one line of key=value pairs: loop_s (the generate calls only), tokens (new tokens up to and including
EOS, as kdflow counts them), tokens_per_s, total_s (from interpreter start), peak_rss_mib.
"""
import argparse
import json
import resource
import time

T0 = time.time()

import torch  # noqa: E402  (imports are part of what a user waits for: total_s counts them)
from transformers import AutoTokenizer, BartForConditionalGeneration  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--max-new-tokens", type=int, default=48)
    p.add_argument("--max-source-tokens", type=int, default=64)
    p.add_argument("--num-beams", type=int, default=1)
    p.add_argument("--sample", type=int, default=0, help="K samples per input (top-k 50, top-p 0.95)")
    p.add_argument("--top-logprobs", type=int, default=0,
                   help="also take the top-k log-probs of every sampled position (what a PT record carries)")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(a.model)
    model = BartForConditionalGeneration.from_pretrained(a.model).eval()
    eos = model.config.eos_token_id
    sources = [json.loads(line)["source"] for line in open(a.input, encoding="utf-8") if line.strip()]
    kwargs = dict(max_new_tokens=a.max_new_tokens, num_beams=a.num_beams, do_sample=a.sample > 0)
    if a.sample:
        kwargs.update(num_return_sequences=a.sample, top_k=50, top_p=0.95, temperature=1.0)
    if a.top_logprobs:
        kwargs.update(output_logits=True, return_dict_in_generate=True)
    tokens = 0
    loop = 0.0
    with torch.inference_mode():
        for i in range(0, len(sources), a.batch_size):
            batch = tok(sources[i:i + a.batch_size], return_tensors="pt", padding=True, truncation=True,
                        max_length=a.max_source_tokens)
            start = time.perf_counter()
            out = model.generate(**batch, **kwargs)
            if a.top_logprobs:
                # the sparse teacher distribution of every position: top-k of the unscaled log-softmax
                for logits in out.logits:
                    torch.log_softmax(logits.float(), dim=-1).topk(a.top_logprobs, dim=-1)
                out = out.sequences
            loop += time.perf_counter() - start
            generated = out[:, 1:]  # after the decoder start token
            for row in generated.tolist():
                tokens += row.index(eos) + 1 if eos in row else len(row)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"loop_s={loop:.3f} tokens={tokens} tokens_per_s={tokens / loop:.1f} "
          f"total_s={time.time() - T0:.2f} peak_rss_mib={peak:.0f} torch={torch.__version__}")


if __name__ == "__main__":
    main()
