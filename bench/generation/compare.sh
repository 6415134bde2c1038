#!/usr/bin/env bash
# Generation side by side: ./kdflow generate vs transformers' generate (bench/generation/hf_baseline.py generate) on one
# model directory and one input file, in interleaved pairs, 2 threads each. Modes: greedy, beam4, sample4 (K=4
# samples, top-k 50, top-p 0.95), pt4 (sample4 plus the top-20 log-probs of every generated position: the work of a
# pseudo-target) and score (teacher-forced NLL of the input's targets: ./kdflow score).
# Prints one row per run and, per mode, the median ratio of loop tokens/s (kdflow / transformers).
#   PY=$(path/to/setup_python_baseline.sh)   # PyTorch 2.13 + transformers 5.18 (docs/performance.md)
#   PY=$PY bench/generation/compare.sh MODEL_DIR INPUT.jsonl [PAIRS=3] [MODES="greedy beam4 sample4 pt4 score"]
# With BASE=<another kdflow checkout>, that checkout's ./kdflow runs too (a before/after of an optimisation).
set -euo pipefail
model=${1:?model directory}; input=${2:?input JSONL}; pairs=${3:-3}; modes=${4:-greedy beam4 sample4 pt4 score}
PY=${PY:?set PY to the python of setup_python_baseline.sh}
here=$(cd "$(dirname "$0")/../.." && pwd)
batch=${BATCH:-64}; new=${MAX_NEW_TOKENS:-48}; src=${MAX_SOURCE_TOKENS:-64}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

mode_args() { # $1 = mode -> kdflow options; HF options are derived from the same words
  case $1 in
    greedy) echo "--num-beams 1" ;;
    beam4) echo "--num-beams 4" ;;
    sample4) echo "--sample --num-return-sequences 4 --top-k 50 --top-p 0.95 --temperature 1" ;;
    pt4) echo "--sample --num-return-sequences 4 --top-k 50 --top-p 0.95 --temperature 1 --top-logprobs 20" ;;
    score) echo "" ;;
    *) echo "unknown mode $1" >&2; exit 2 ;;
  esac
}
hf_args() {
  case $1 in
    greedy) echo "generate --num-beams 1" ;; beam4) echo "generate --num-beams 4" ;; sample4) echo "generate --sample 4" ;;
    pt4) echo "generate --sample 4 --top-logprobs 20" ;; score) echo "score --max-target-tokens $new" ;;
  esac
}
kdflow_run() { # $1 = launcher, $2 = mode -> "tokens_per_s total_s peak_mib"
  local start end line rate
  start=$(date +%s.%N)
  if [ "$2" = score ]; then
    line=$(/usr/bin/time -f "peak_kib=%M" "$1" score --model "$model" --input "$input" --output "$out/k.jsonl" \
        --batch-size "$batch" --max-source-tokens "$src" --max-target-tokens "$new" --threads 2 2>&1 \
        | grep -E "^score: |peak_kib" | tr '\n' ' ')
    # the scoring loop's rate; a build older than that line prints only the command's rate
    rate=$(sed -E 's/.*scoring loop [0-9.]+ s, ([0-9.]+) target tokens\/s.*/\1/; t; s/.*, ([0-9.]+) target tokens\/s.*/\1/' <<<"$line")
  else
    line=$(/usr/bin/time -f "peak_kib=%M" "$1" generate --model "$model" --input "$input" --output "$out/k.jsonl" \
        --batch-size "$batch" --max-new-tokens "$new" --max-source-tokens "$src" --threads 2 $(mode_args "$2") 2>&1 \
        | grep -E "new tokens/s|peak_kib" | tr '\n' ' ')
    rate=$(sed -E 's/.*\(([0-9.]+) inputs\/s, ([0-9]+) new tokens, ([0-9.]+) new tokens\/s\).*/\3/' <<<"$line")
  fi
  end=$(date +%s.%N)
  echo "$rate $(echo "$end - $start" | bc) $(( $(sed -E 's/.*peak_kib=([0-9]+).*/\1/' <<<"$line") / 1024 ))"
}
hf_run() {
  local line
  line=$("$PY" "$here/bench/generation/hf_baseline.py" $(hf_args "$1") --model "$model" --input "$input" \
      --batch-size "$batch" --max-new-tokens "$new" --max-source-tokens "$src" --threads 2 2>/dev/null | tail -1)
  echo "$(sed -E 's/.*tokens_per_s=([0-9.]+).*/\1/' <<<"$line") $(sed -E 's/.*total_s=([0-9.]+).*/\1/' <<<"$line") \
$(sed -E 's/.*peak_rss_mib=([0-9]+).*/\1/' <<<"$line")"
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs; batch $batch, $new new tokens"
printf '%-8s %-5s %-8s %10s %9s %9s %7s\n' mode pair program tok/s total_s peak_MiB load1
for mode in $modes; do
  ratios=()
  for p in $(seq 1 "$pairs"); do
    read -r k_tps k_total k_peak < <(kdflow_run "$here/kdflow" "$mode")
    printf '%-8s %-5s %-8s %10s %9.2f %9s %7s\n' "$mode" "$p" kdflow "$k_tps" "$k_total" "$k_peak" "$(cut -d' ' -f1 /proc/loadavg)"
    if [ -n "${BASE:-}" ]; then
      read -r b_tps b_total b_peak < <(kdflow_run "$BASE/kdflow" "$mode")
      printf '%-8s %-5s %-8s %10s %9.2f %9s %7s\n' "$mode" "$p" base "$b_tps" "$b_total" "$b_peak" "$(cut -d' ' -f1 /proc/loadavg)"
    fi
    read -r h_tps h_total h_peak < <(hf_run "$mode")
    printf '%-8s %-5s %-8s %10s %9.2f %9s %7s\n' "$mode" "$p" hf "$h_tps" "$h_total" "$h_peak" "$(cut -d' ' -f1 /proc/loadavg)"
    ratios+=("$(echo "scale=3; $k_tps / $h_tps" | bc)")
  done
  echo "$mode: kdflow / transformers loop tokens/s, median of ${#ratios[@]} pairs: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (${#ratios[@]} + 1) / 2 ))p")x"
done
