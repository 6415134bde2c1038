#!/usr/bin/env bash
# Takes docs/run-page.png: one small real pipeline run (deploy-check's live-tiny job, with more dev evaluations) and
# a headless-Chromium screenshot of the evaluator's run page once the job is done. The CLI is paused (SIGSTOP) for
# the screenshot, so that it does not stop the services first, and resumed afterwards.
# Needs: ./mvnw -B -o -DskipTests package, chromium (Debian: apt-get install -y chromium), curl.
# Usage: tools/run-page-screenshot.sh [output.png]   (default: target/run-page-live/run-page.png)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/run-page-live"
png="${1:-$out/run-page.png}"
rm -rf "$out"; mkdir -p "$out/runs"
sed -e "s|@ROOT@|$root|g" -e "s|@OUTPUT@|$out/runs|g" "$root/deploy-check/src/test/resources/live/live-tiny.yaml" \
    > "$out/live-tiny.yaml"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$root/.kdflow/cache/djl}" ENGINE_CACHE_DIR="${ENGINE_CACHE_DIR:-$root/.kdflow/cache/djl}"
cd "$root"
java -Dkdflow.home="$root" -jar kdflow-cli/target/kdflow-cli.jar run --job "$out/live-tiny.yaml" \
    --set evaluation.evaluations_per_epoch=4 --set optimization.epochs=3 --timeout-minutes 20 > "$out/run.log" 2>&1 &
run=$!
trap 'kill -CONT $run 2>/dev/null; kill $run 2>/dev/null || true' EXIT
until grep -q "evaluator ready (log:" "$out/run.log"; do
    sleep 1
    kill -0 $run 2>/dev/null || { echo "the run ended before the evaluator was ready:"; tail -30 "$out/run.log"; exit 1; }
done
log=$(grep -o "evaluator ready (log: .*)" "$out/run.log" | sed 's/.*log: \(.*\))/\1/')
port=$(grep -o "Listening on: http://[0-9.]*:[0-9]*" "$log" | head -1 | sed 's/.*://')
echo "run page: http://127.0.0.1:$port/"
while kill -0 $run 2>/dev/null; do
    if curl -s --max-time 2 "http://127.0.0.1:$port/api/runs" | grep -q '"status":"done"'; then
        kill -STOP $run
        chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
            --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$out/chromium" \
            --window-size=1400,940 --virtual-time-budget=5000 --hide-scrollbars --screenshot="$png" \
            "http://127.0.0.1:$port/" > "$out/chromium.log" 2>&1
        kill -CONT $run
        echo "screenshot: $png"
        break
    fi
    sleep 0.2
done
wait $run
trap - EXIT
tail -5 "$out/run.log"
