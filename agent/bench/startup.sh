#!/usr/bin/env bash
# Agent cost, outside CI: JVM start-up of a hello world with and without -javaagent, and the cost of the
# agent on connects to non-member addresses, on each JDK, side by side.
#
# Usage (from anywhere, after `mvn -B -pl agent-bootstrap,agent -am -DskipTests package`):
#   agent/bench/startup.sh [STARTS] [CONNECTS] [ROUNDS]
#     STARTS    hello-world starts per JDK and variant (default 20), interleaved plain/agent
#     CONNECTS  loopback connects per connect run (default 20000)
#     ROUNDS    connect runs per JDK and variant (default 5), interleaved plain/agent
#   JDKS="/path/to/jdk17 /path/to/jdk25" overrides the JDK homes.
#
# Start-up runs set BOXER_AGENT_SOCKET to a path where nothing listens: the agent installs fully and its
# watcher thread retries in the background, as when the node is not up yet. The connect runs serve the
# agent a membership view of 64 other addresses (ConnectBench is its own fake node), so each timed connect
# takes the real non-member path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
agent_jar="$here/../target/boxer-agent.jar"
starts="${1:-20}"
connects="${2:-20000}"
rounds="${3:-5}"
jdks="${JDKS:-/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64}"

if [[ ! -f "$agent_jar" || ! -f "$here/../target/boxer-agent-bootstrap.jar" ]]; then
  echo "startup.sh: agent/target/boxer-agent.jar or boxer-agent-bootstrap.jar is missing" \
    "(run: mvn -B -pl agent-bootstrap,agent -am -DskipTests package)" >&2
  exit 2
fi
agent_jar="$(cd "$(dirname "$agent_jar")" && pwd)/boxer-agent.jar"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
first_jdk="${jdks%% *}"
"$first_jdk/bin/javac" --release 17 -d "$work/classes" "$here/Hello.java" "$here/ConnectBench.java"

now_ns() { date +%s%N; }

# mean and median of the numbers on stdin, in ms (input in ns)
stats() { sort -n | awk '{ v[NR] = $1; s += $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "%.1f %.1f\n", s / NR / 1e6, m / 1e6 }'; }

echo "host: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); agent jar $(stat -c %s "$agent_jar") bytes"
echo
echo "== JVM start-up, hello world, $starts starts per variant (ms; mean / median)"
printf '%-8s %18s %18s %18s\n' "JDK" "plain" "agent" "agent - plain"
for jdk in $jdks; do
  java="$jdk/bin/java"
  feature="$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')"
  for _ in 1 2 3; do # warm the page cache
    "$java" -cp "$work/classes" Hello >/dev/null
    BOXER_AGENT_SOCKET="$work/none.sock" "$java" -javaagent:"$agent_jar" -cp "$work/classes" Hello >/dev/null
  done
  : >"$work/plain" && : >"$work/agent"
  for _ in $(seq "$starts"); do
    t0=$(now_ns)
    "$java" -cp "$work/classes" Hello >/dev/null
    t1=$(now_ns)
    BOXER_AGENT_SOCKET="$work/none.sock" "$java" -javaagent:"$agent_jar" -cp "$work/classes" Hello >/dev/null
    t2=$(now_ns)
    echo $((t1 - t0)) >>"$work/plain"
    echo $((t2 - t1)) >>"$work/agent"
  done
  read -r pm pmed < <(stats <"$work/plain")
  read -r am amed < <(stats <"$work/agent")
  printf '%-8s %8s / %-7s %8s / %-7s %8s / %-7s\n' "$feature" "$pm" "$pmed" "$am" "$amed" \
    "$(awk -v a="$am" -v b="$pm" 'BEGIN { printf "%.1f", a - b }')" \
    "$(awk -v a="$amed" -v b="$pmed" 'BEGIN { printf "%.1f", a - b }')"
done

echo
echo "== Connect to a non-member (loopback), $connects connects per run, $rounds runs per variant"
echo "   (mean ns per connect over the runs: wall clock, and CPU time of the connecting thread)"
printf '%-8s %10s %10s %8s   %10s %10s %8s\n' "JDK" "wall plain" "wall agent" "ratio" "cpu plain" "cpu agent" "ratio"
for jdk in $jdks; do
  java="$jdk/bin/java"
  feature="$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')"
  : >"$work/cplain" && : >"$work/cagent"
  for _ in $(seq "$rounds"); do
    "$java" -cp "$work/classes" ConnectBench "$connects" >>"$work/cplain"
    out="$(BOXER_AGENT_SOCKET="$work/node.sock" "$java" -javaagent:"$agent_jar" -cp "$work/classes" \
      ConnectBench "$connects" 2>"$work/agent.err")"
    grep -q '^view=served$' <<<"$out" || { echo "startup.sh: the agent run got no view: $out" >&2; exit 1; }
    echo "$out" >>"$work/cagent"
  done
  mean() { awk -F= -v k="$1" '$1 == k { s += $2; n++ } END { printf "%.0f", s / n }' "$2"; }
  pw="$(mean connect.ns "$work/cplain")"; aw="$(mean connect.ns "$work/cagent")"
  pc="$(mean connect.cpu.ns "$work/cplain")"; ac="$(mean connect.cpu.ns "$work/cagent")"
  printf '%-8s %10s %10s %8s   %10s %10s %8s\n' "$feature" "$pw" "$aw" \
    "$(awk -v a="$aw" -v b="$pw" 'BEGIN { printf "%.3f", a / b }')" "$pc" "$ac" \
    "$(awk -v a="$ac" -v b="$pc" 'BEGIN { printf "%.3f", a / b }')"
done
