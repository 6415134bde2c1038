#!/usr/bin/env bash
# The containers check of CI (docs/containers.md), after the main build has packaged everything:
#   1. installs Debian's docker.io and debootstrap when missing, and starts a Docker daemon (tools/containers.sh);
#   2. builds the images offline: the JRE base from Debian packages, the broker, the four services;
#   3. starts the broker and the four service containers: each must report UP on /q/health, as a non-root user;
#   4. one Maven run: teacher-service's JobSpecProcessorTest with its broker from Testcontainers (the broker image,
#      -Dkdflow.test.kafka=testcontainers), and ContainersRunIT: jobs/chaos-tiny.yaml through `./kdflow run`, once
#      with processes and once with --containers, with the same optimizer steps and losses (1e-5 relative).
# Prints the time of each step and the total. Where no daemon can be started (not root, no dockerd), says so and
# skips (exit 0): the main build already ran every test with the process broker. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${1:-}" != "--with-daemon" ]; then
    total=$(date +%s)
    missing=()
    command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
    command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
    if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        echo "containers-ci: installed ${missing[*]} in $(( $(date +%s) - total )) s"
    fi
    if ! command -v dockerd >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
        echo "containers-ci: SKIPPED: no Docker daemon answers and dockerd cannot be installed here (needs root and apt)"
        exit 0
    fi
    if ! docker info >/dev/null 2>&1 && [ "$(id -u)" != 0 ]; then
        echo "containers-ci: SKIPPED: no Docker daemon answers and starting one needs root"
        exit 0
    fi
    # The rest runs with a daemon up; tools/containers.sh stops the one it started when it ends.
    status=0
    tools/containers.sh exec "$0" --with-daemon "$@" || status=$?
    echo "containers-ci: took $(( $(date +%s) - total )) s in all (exit $status)"
    exit $status
fi
shift

step() { # step NAME COMMAND...: runs and times one step
    local name=$1 start
    shift
    start=$(date +%s)
    "$@"
    echo "containers-ci: $name took $(( $(date +%s) - start )) s"
}

step "image build" tools/containers.sh build
step "health check" tools/containers.sh health
log=target/containers-ci-maven.log
mkdir -p target
maven_tests() {
    ./mvnw -B -ntp -o verify -pl teacher-service,kdflow-cli -am -Dkdflow.test.kafka=testcontainers \
        -Dtest=JobSpecProcessorTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Dit.test=ContainersRunIT -Dfailsafe.failIfNoSpecifiedTests=false "$@" >"$log" 2>&1 || true
    grep -E "^\[kdflow-test\]|^containers vs processes|Tests run:.*in io|BUILD|\[run\] (broker|starting)" "$log" || true
}
step "Testcontainers test and container run (Maven)" maven_tests "$@"
# The Maven log decides: the broker of the service test came from Testcontainers, and both classes ran and passed.
grep -q "BUILD SUCCESS" "$log" || { tail -80 "$log"; echo "containers-ci: the Maven run failed (log: $log)"; exit 1; }
grep -q "^\[kdflow-test\] started Kafka broker container" "$log" \
    || { echo "containers-ci: JobSpecProcessorTest did not get its broker from Testcontainers (log: $log)"; exit 1; }
grep -q "Tests run: 2, Failures: 0, Errors: 0, Skipped: 0.*JobSpecProcessorTest" "$log" \
    || { echo "containers-ci: JobSpecProcessorTest did not run both tests (log: $log)"; exit 1; }
grep -q "Tests run: 1, Failures: 0, Errors: 0, Skipped: 0.*ContainersRunIT" "$log" \
    || { echo "containers-ci: ContainersRunIT did not run (log: $log)"; exit 1; }
leftovers=$(docker ps -aq --filter label=io.kdflow.container)
[ -z "$leftovers" ] || { echo "containers-ci: containers left behind: $leftovers"; exit 1; }
