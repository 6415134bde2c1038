#!/usr/bin/env python3
"""Prints docs/results.md's tables from the results.json of distill --local runs.

Usage: results_table.py GOLD_RUN PTS_RUN JT_RUN [GOLD_RUN PTS_RUN JT_RUN ...]
Each triple is one seed's three variants of jobs/shakespeare-quick.yaml (run directories); the copy baseline,
teacher and CE student come from the triple's JT run (the three share them through the cache). Latency
ratios are within one run, where the models' timed calls took turns.
"""
import json
import statistics
import sys
from pathlib import Path

VARIANTS = ("logit KD, gold only", "logit KD + sampled PTs (K=2, labeled + unlabeled)",
            "logit KD + PTs + Joint-Teaching")


def load(run):
    return json.loads((Path(run) / "results.json").read_text())


def role(results, name):
    return next(r for r in results["roles"] if r["role"] == name)


def cell(metrics, key, digits=2):
    value = metrics.get(key)
    return "n/a" if value is None else f"{value:.{digits}f}"


def speed_up(results, r):
    teacher = role(results, "TEACHER")["test"].get("latency_ms_p50")
    mine = r["test"].get("latency_ms_p50")
    return "n/a" if teacher is None or mine is None else f"{teacher / mine:.2f}x"


def row(label, results, r, wall, gap):
    dev, test = r["dev"], r["test"]
    params = test.get("params")
    return "| " + " | ".join([
        label,
        cell(dev, "bleu"), cell(dev, "rouge"), cell(dev, "chrf"), cell(dev, "nll", 3),
        cell(test, "bleu"), cell(test, "rouge"), cell(test, "chrf"), cell(test, "nll", 3),
        "n/a" if params is None else f"{params / 1e6:.2f}M",
        cell(test, "latency_ms_p50", 1), speed_up(results, r) if r["role"] != "COPY_BASELINE" else "n/a",
        wall, gap]) + " |"


def seed_table(gold, pts, jt):
    print("| model | dev BLEU | dev ROUGE | dev chrF | dev NLL | test BLEU | test ROUGE | test chrF | test NLL"
          " | params | latency p50 (ms) | speed-up vs teacher | training wall time | gap closed (test BLEU) |")
    print("|" + "---|" * 14)
    print(row("copy baseline (source as prediction)", jt, role(jt, "COPY_BASELINE"), "-", "-"))
    print(row("teacher (shipped)", jt, role(jt, "TEACHER"), "-", "-"))
    print(row("CE student (fine-tuned on gold)", jt, role(jt, "CE_BASELINE"),
              f"{jt['baseline']['wallSeconds']:.0f} s", "0% (by definition)"))
    for label, results in zip(VARIANTS, (gold, pts, jt)):
        wall = results["kd"]["wallSeconds"] + results["final_fine_tune"]["wallSeconds"]
        gap = results["gap_closed_test"].get("gap_closed_bleu")
        print(row(label, results, role(results, "KD_STUDENT"), f"{wall:.0f} s",
                  "n/a" if gap is None else f"{gap:.1f}%"))
    print()
    print("PT generation: {} records in {:.0f} s; whole Joint-Teaching run: {:.0f} s.".format(
        jt["pseudo_targets"]["records"], jt["phase_seconds"]["pseudo_targets"], sum(jt["phase_seconds"].values())))
    print()


def mean_table(triples):
    print(f"Mean over {len(triples)} seeds:")
    print()
    print("| model | dev BLEU | test BLEU | test NLL | gap closed (test BLEU) |")
    print("|---|---|---|---|---|")

    def line(label, roles, gaps):
        dev = statistics.mean(r["dev"]["bleu"] for r in roles)
        test = statistics.mean(r["test"]["bleu"] for r in roles)
        nlls = [r["test"]["nll"] for r in roles if "nll" in r["test"]]
        nll = f"{statistics.mean(nlls):.3f}" if nlls else "n/a"
        gap = "-" if gaps is None else f"{statistics.mean(gaps):.1f}%"
        print(f"| {label} | {dev:.2f} | {test:.2f} | {nll} | {gap} |")

    line("copy baseline", [role(t[2], "COPY_BASELINE") for t in triples], None)
    line("teacher", [role(t[2], "TEACHER") for t in triples], None)
    line("CE student", [role(t[2], "CE_BASELINE") for t in triples], None)
    for i, label in enumerate(VARIANTS):
        line(label, [role(t[i], "KD_STUDENT") for t in triples],
             [t[i]["gap_closed_test"]["gap_closed_bleu"] for t in triples])


def main(runs):
    triples = [tuple(load(r) for r in runs[i:i + 3]) for i in range(0, len(runs), 3)]
    for n, triple in enumerate(triples):
        print(f"Seed {triple[2]['job_id']} ({runs[3 * n + 2]}):")
        print()
        seed_table(*triple)
    if len(triples) > 1:
        mean_table(triples)


if __name__ == "__main__":
    main(sys.argv[1:])
