#!/usr/bin/env bash
# Load and soak (docs/operations.md, "Load and soak"): the embedded broker, teacher-service, pt-sampler and
# student-trainer under a backlog of at least 20,000 inputs (tools/soak-job.yaml); samples the services' RSS and
# the consumer lag of pt-sampler (examples topic) and student-trainer (PT topic) every few seconds into
# runs/soak-shakespeare/soak/soak.csv, draws soak.png, and checks that the lag drained, that no PT record was
# dropped and that the trainer's memory stayed bounded (summary.txt; exit code 0 = passed).
#
#   tools/soak.sh --minutes 10            # the documented soak
#   tools/soak.sh --minutes 2 --set task.unlabeled_size=500 --min-inputs 0   # a quick try
#
# Options (kdflow soak --help): --job FILE, --set KEY=VALUE, --minutes N, --timeout-minutes N, --sample-seconds S,
# --rss-bound-mb MIB, --max-slope-mb-per-min MIB, --min-inputs N. SOAK_BUILD=0 skips the build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$root/.kdflow/cache/djl}"
export ENGINE_CACHE_DIR="${ENGINE_CACHE_DIR:-$DJL_CACHE_DIR}"

if [ "${SOAK_BUILD:-1}" = 1 ]; then
    echo "soak: building the broker, the services and the command line..." >&2
    (cd "$root" && ./mvnw -B -q -DskipTests ${MAVEN_OFFLINE:+-o} package \
        -pl embedded-kafka,teacher-service,pt-sampler,student-trainer,kdflow-cli -am) >&2
fi

exec java -Dkdflow.home="$root" -jar "$root/kdflow-cli/target/kdflow-cli.jar" soak "$@"
