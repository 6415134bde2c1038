#!/usr/bin/env bash
# The kill -9 matrix of issue #10 as CI runs it (docs/operations.md): kdflow-cli's ChaosMatrixIT runs
# `./kdflow chaos --job jobs/chaos-tiny.yaml` with the packaged broker and services, killing each of pt-sampler,
# teacher-service, student-trainer, evaluator and the broker with SIGKILL at 5 seeded points, and asserts every
# check and the table's numbers. About 15 minutes on 2 cores. Extra arguments go to Maven (e.g. -o offline).
# The test prints the matrix's progress and table to its standard output (Maven's log).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

start=$(date +%s)
./mvnw -B -ntp verify -pl kdflow-cli -am -Dkdflow.test.kafka=process \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=ChaosMatrixIT -Dfailsafe.failIfNoSpecifiedTests=false "$@"
echo "chaos-matrix: took $(( $(date +%s) - start )) s"
