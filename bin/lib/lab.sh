# Shared by bin/demo-echo and bin/bench-connect: build, a NAT lab with a seed, and its teardown (also on Ctrl-C).
# Source it, then call lab_start "NAME" boxer-lab-up-flags...; it sets $root, $results, $runid and $seed.
# BOXER_NO_BUILD=1 skips the build (repeated runs of a bench against jars already built).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$root"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
examples_jar="$root/examples/target/boxer-examples.jar"

step() { printf '\n==> %s\n' "$*" >&2; }

lab_start() { # NAME LAB-UP-FLAGS...
  local name=$1; shift
  if [[ $(id -u) -ne 0 ]]; then
    echo "$name: run as root (the NAT lab creates network namespaces)" >&2
    exit 2
  fi
  bin/install-deps
  if [[ ${BOXER_NO_BUILD:-} != 1 ]]; then
    step "building (mvn -q -DskipTests package)"
    mvn -q -B -DskipTests package
  fi
  results="$root/results/$name-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$results"
  step "creating the NAT lab ($*)"
  bin/boxer lab up --json "$@" >"$results/lab.json"
  # the run id first, and the teardown armed before anything else can fail: a lab must never outlive its script
  runid=$(grep -o '"runId" *: *"[^"]*"' "$results/lab.json" | head -1 | cut -d'"' -f4)
  trap lab_stop EXIT
  trap 'exit 130' INT TERM
  jq -r '.hosts[] | "  \(.name)\t\(.address)\t\(.externalAddress)"' "$results/lab.json" >&2
  seed="$(addr seed):7946"
  # one join token per run, for the seed and every node; through the environment, never a command line
  BOXER_TOKEN="boxer_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
  export BOXER_TOKEN
  step "starting boxer seed on the seed host ($seed)"
  in_host seed bin/boxer seed --port 7946 --ready-file "$results/seed.ready.json" >"$results/seed.log" 2>&1 &
  wait_file "$results/seed.ready.json" "$results/seed.log" 30
}

lab_stop() {
  step "tearing the lab down"
  local host
  if [[ -z ${runid:-} ]]; then
    echo "the lab's run id is unknown ($results/lab.json): removing every boxer lab" >&2
    bin/boxer-lab-cleanup >&2
    return
  fi
  for host in $(jq -r '.hosts[].name' "$results/lab.json" 2>/dev/null); do
    ip netns pids "$(ns "$host")" 2>/dev/null | xargs -r kill -TERM 2>/dev/null || true
  done
  sleep 1
  bin/boxer lab down "$runid" >&2 || bin/boxer-lab-cleanup >&2
}

ns() { echo "boxer-$runid-$1"; }
addr() { jq -r --arg h "$1" '.hosts[] | select(.name == $h) | .address' "$results/lab.json"; }
ext() { jq -r --arg h "$1" '.hosts[] | select(.name == $h) | .externalAddress' "$results/lab.json"; }
in_host() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }
boxer_pid() { # HOST: the boxer JVM (java ... -jar .../boxer.jar run|seed ...) in a lab host; empty when none runs
  local pid
  for pid in $(ip netns pids "$(ns "$1")"); do
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q '/boxer\.jar \(run\|seed\) ' && { echo "$pid"; return; }
  done
  return 0
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # PID: its user + system time, in clock ticks

wait_file() { # FILE LOG SECONDS: until FILE exists (a ready file); on timeout, show LOG
  local _
  for _ in $(seq 1 $(($3 * 10))); do [[ -e $1 ]] && return 0; sleep 0.1; done
  echo "$1 did not appear within $3 s:" >&2
  cat "$2" >&2
  return 1
}

wait_for() { # FILE PATTERN SECONDS
  local _
  for _ in $(seq 1 $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "'$2' did not appear in $1 within $3 s:" >&2
  cat "$1" >&2
  return 1
}

# An example program (io.boxer.examples.echo.CLASS) under boxer run in a host: boxer_run HOST MEMBERS CLASS ARGS...
boxer_run() {
  local host=$1 members=$2 class=$3; shift 3
  local barrier=()
  [[ $members == 0 ]] || barrier=(--members "$members")
  in_host "$host" bin/boxer run --seed "$seed" "${barrier[@]}" -- \
    "$java_bin" -cp "$examples_jar" "io.boxer.examples.echo.$class" "$@"
}

# The same program without Boxer: plain_run HOST CLASS ARGS...
plain_run() {
  local host=$1 class=$2; shift 2
  in_host "$host" "$java_bin" -cp "$examples_jar" "io.boxer.examples.echo.$class" "$@"
}
