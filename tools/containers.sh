#!/usr/bin/env bash
# kdflow's container images, built offline on this machine, and the pipeline run in them (docs/containers.md).
#
#   tools/containers.sh build            the JRE base image (Debian packages), the broker image and the four
#                                        service images, tagged as deploy/ references them
#   tools/containers.sh base             only the JRE base image
#   tools/containers.sh health           starts the broker and the four service images, checks each service
#                                        reports UP on /q/health as a non-root user, stops them
#   tools/containers.sh run ARGS...      ./kdflow run --containers ARGS... (broker and services as containers)
#   tools/containers.sh exec CMD...      runs CMD with a Docker daemon answering (e.g. the Testcontainers tests)
#
# Every command starts a Docker daemon when none answers (root only) and stops the daemon it started when it ends.
# Containers use the host's network: everything listens on and connects to 127.0.0.1. Build the jars first
# (./mvnw -B -DskipTests package); `build` does not run Maven.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

services=(teacher-service pt-sampler student-trainer evaluator)
base_image="kdflow/jre:17"
state="$root/.kdflow/containers"   # logs: dockerd, debootstrap, health checks (git-ignored)
mkdir -p "$state"

say() { echo "containers: $*" >&2; }
die() { say "$*"; exit 1; }

# The project version, from the broker jar's name (embedded-kafka/target/embedded-kafka-<version>-broker.jar).
version() {
    local jar
    jar=$(ls embedded-kafka/target/embedded-kafka-*-broker.jar 2>/dev/null | head -1) \
        || true
    [ -n "$jar" ] || die "no embedded-kafka/target/embedded-kafka-*-broker.jar: build with ./mvnw -B -DskipTests package"
    jar=${jar##*/embedded-kafka-}
    echo "${jar%-broker.jar}"
}

# ---- the daemon -------------------------------------------------------------------------------------------------
started_daemon=""
daemon_answers() { docker info >/dev/null 2>&1; }

start_daemon() {
    if daemon_answers; then
        return
    fi
    command -v dockerd >/dev/null || die "no Docker daemon answers and dockerd is not installed (Debian: apt-get install docker.io)"
    [ "$(id -u)" = 0 ] || die "no Docker daemon answers; starting one needs root (or start it yourself)"
    mkdir -p "$state"
    # Host networking only: no bridge, no iptables rules (nothing to set up, nothing left behind).
    dockerd --bridge=none --iptables=false --ip-masq=false --pidfile "$state/dockerd.pid" \
        >"$state/dockerd.log" 2>&1 &
    started_daemon=$!
    trap stop_daemon EXIT
    for _ in $(seq 1 60); do
        daemon_answers && { say "started dockerd (pid $started_daemon, log $state/dockerd.log)"; return; }
        kill -0 "$started_daemon" 2>/dev/null || die "dockerd exited while starting; its log $state/dockerd.log ends with: $(tail -5 "$state/dockerd.log")"
        sleep 1
    done
    die "dockerd did not answer within 60 s; see $state/dockerd.log"
}

stop_daemon() {
    [ -n "$started_daemon" ] || return 0
    local leftovers
    leftovers=$(docker ps -aq --filter label=io.kdflow.container 2>/dev/null || true)
    [ -z "$leftovers" ] || docker rm -f $leftovers >/dev/null 2>&1 || true
    kill "$started_daemon" 2>/dev/null || true
    for _ in $(seq 1 30); do
        kill -0 "$started_daemon" 2>/dev/null || { say "stopped the dockerd it started"; started_daemon=""; return 0; }
        sleep 1
    done
    kill -9 "$started_daemon" 2>/dev/null || true
    started_daemon=""
}

# ---- images -----------------------------------------------------------------------------------------------------
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# The first Debian mirror apt uses here (deb822 or one-line sources), else deb.debian.org.
debian_mirror() {
    local uri
    uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
    [ -n "$uri" ] || uri=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 | awk '{print $2}')
    echo "${uri:-http://deb.debian.org/debian}"
}

# Debian bookworm (minbase) with the Java 17 runtime and the user 185 the service images run as. No registry
# is needed: debootstrap fetches Debian's packages from the apt mirror.
build_base() {
    if image_exists "$base_image"; then
        say "$base_image exists"
        return
    fi
    command -v debootstrap >/dev/null || die "debootstrap is missing (Debian: apt-get install debootstrap)"
    local dir start=$SECONDS
    dir=$(mktemp -d "${TMPDIR:-/tmp}/kdflow-jre-rootfs.XXXXXX")
    trap 'remove_rootfs "'"$dir"'"; stop_daemon' EXIT
    say "building $base_image with debootstrap from $(debian_mirror) (about a minute)"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$dir" "$(debian_mirror)" \
        >"$state/debootstrap.log" 2>&1 || die "debootstrap failed; see $state/debootstrap.log"
    echo "kdflow:x:185:185:kdflow:/home/kdflow:/usr/sbin/nologin" >>"$dir/etc/passwd"
    echo "kdflow:x:185:" >>"$dir/etc/group"
    install -d -o 185 -g 185 "$dir/home/kdflow"
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    tar -C "$dir" -c . | docker import \
        -c 'ENV LANG=C.UTF-8 JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' -c 'CMD ["java", "-version"]' \
        - "$base_image" >/dev/null
    remove_rootfs "$dir"
    say "$base_image built in $((SECONDS - start)) s"
}

# debootstrap mounts /proc and /sys inside the tree while it configures packages: unmount whatever a failed run
# left there before deleting it.
remove_rootfs() {
    local dir=$1
    [ -d "$dir" ] || return 0
    awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | xargs -r umount -l
    rm -rf "$dir"
}

build_images() {
    local v
    v=$(version)
    build_base
    for module in embedded-kafka "${services[@]}"; do
        if [ "$module" = embedded-kafka ]; then
            ls embedded-kafka/target/embedded-kafka-*-broker.jar >/dev/null
        else
            [ -f "$module/target/quarkus-app/quarkus-run.jar" ] \
                || die "$module/target/quarkus-app is missing: build with ./mvnw -B -DskipTests package"
        fi
        local start=$SECONDS
        # The legacy builder (no buildx here) warns that it is deprecated on every build: its output goes to a log.
        docker build --build-arg BASE_IMAGE="$base_image" -f "$module/src/main/docker/Dockerfile.jvm" \
            -t "kdflow/$module:$v" "$module" >"$state/build-$module.log" 2>&1 \
            || die "docker build of kdflow/$module:$v failed; its log $state/build-$module.log ends with: $(tail -5 "$state/build-$module.log")"
        say "kdflow/$module:$v built in $((SECONDS - start)) s"
    done
}

# ---- health -----------------------------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts the broker container, then the four service containers against it, and waits until each reports UP on
# /q/health (liveness and readiness: its Kafka consumers are connected); checks they run as a non-root user; stops all.
check_health() {
    local v module port body user broker_port controller_port start=$SECONDS
    v=$(version)
    docker rm -f kdflow-health-kafka "${services[@]/#/kdflow-health-}" >/dev/null 2>&1 || true
    broker_port=$(free_port)
    controller_port=$(free_port)
    docker run -d --rm --name kdflow-health-kafka --label io.kdflow.container=health --network host \
        "kdflow/embedded-kafka:$v" --port "$broker_port" --controller-port "$controller_port" --no-parent-watch >/dev/null
    for _ in $(seq 1 90); do
        docker logs kdflow-health-kafka 2>/dev/null | grep -q KDFLOW_KAFKA_READY && break
        sleep 1
    done
    docker logs kdflow-health-kafka 2>/dev/null | grep -q KDFLOW_KAFKA_READY \
        || die "the broker container did not report ready within 90 s: $(docker logs kdflow-health-kafka 2>&1 | tail -5)"
    say "kdflow/embedded-kafka:$v ready on 127.0.0.1:$broker_port"
    declare -A ports
    for module in "${services[@]}"; do
        port=$(free_port)
        ports[$module]=$port
        docker run -d --rm --name "kdflow-health-$module" --label io.kdflow.container=health --network host \
            -e QUARKUS_HTTP_HOST=127.0.0.1 -e QUARKUS_HTTP_PORT="$port" \
            -e KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$broker_port" -e KDFLOW_ENGINE_INTRA_OP_THREADS=1 \
            -e JAVA_TOOL_OPTIONS="-Xmx1g -XX:+UseSerialGC" "kdflow/$module:$v" >/dev/null
    done
    local failed=""
    for module in "${services[@]}"; do
        port=${ports[$module]}
        body=""
        for _ in $(seq 1 180); do
            body=$(curl -s "http://127.0.0.1:$port/q/health" || true)
            case "$body" in *'"status": "UP"'*) break ;; esac
            docker inspect "kdflow-health-$module" >/dev/null 2>&1 || break
            sleep 1
        done
        docker logs "kdflow-health-$module" >"$state/health-$module.log" 2>&1 || true
        case "$body" in
            *'"status": "UP"'*)
                user=$(docker exec "kdflow-health-$module" id -u)
                say "$module (kdflow/$module:$v, uid $user): UP on http://127.0.0.1:$port/q/health"
                [ "$user" != 0 ] || failed="$failed $module(runs as root)" ;;
            *) say "$module did not report UP on /q/health (last answer: ${body:-none}); log $state/health-$module.log"
               failed="$failed $module" ;;
        esac
    done
    docker rm -f kdflow-health-kafka "${services[@]/#/kdflow-health-}" >/dev/null 2>&1 || true
    [ -z "$failed" ] || die "health check failed:$failed"
    say "every service UP in its container ($((SECONDS - start)) s)"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    base) start_daemon; build_base ;;
    build) start_daemon; build_images ;;
    health) start_daemon; check_health ;;
    run) start_daemon; "$root/kdflow" run --containers "$@" ;;
    exec) [ $# -gt 0 ] || die "exec needs a command"; start_daemon; "$@" ;;
    *) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
