#!/usr/bin/env bash
# Agent cost, outside CI: JVM start-up (wall and CPU) of a hello world and of a hello world that binds one socket,
# with and without the agent, and the cost of the agent on connects to non-member addresses, on each JDK.
#
# Usage (from anywhere, after `mvn -B -pl agent-bootstrap,agent -am -DskipTests package`):
#   agent/bench/startup.sh [STARTS] [CONNECTS] [ROUNDS]
#     STARTS    starts per JDK, program and variant (default 20), interleaved: plain, agent, agent (agentlib), ...
#     CONNECTS  loopback connects per connect run (default 20000; 0 skips the connect runs)
#     ROUNDS    connect runs per JDK and variant (default 5), interleaved plain/agent
#   JDKS="/path/to/jdk17 /path/to/jdk25" overrides the JDK homes.
#   BASELINE=/path/to/other/boxer-agent.jar adds the variant "baseline": that jar (with its bootstrap jar next to
#   it) as -javaagent, e.g. an older build, measured in the same interleaved rounds.
#   PROGRAMS="Hello HelloBind ManyClasses" picks the programs (default: Hello HelloBind); ManyClasses loads
#   ~2,300 classes, as a service's start-up does.
#
# Start-up variants: plain (no agent); "empty" (-javaagent: of an agent whose premain does nothing, EmptyAgent:
# what the flag itself costs); "transformer" (EmptyAgent registering one transformer that changes nothing: what
# the JVM's class-file-load hook costs on every class loaded after premain); "javaagent" (-javaagent:boxer-agent.jar, what `boxer run` passes); and
# "agentlib" (-agentlib:instrument=boxer-agent.jar: the same agent through the same JVM library, without the
# --add-modules java.instrument that the JVM adds for -javaagent and that turns off CDS's archived module graph);
# "archive" (-javaagent with -XX:SharedArchiveFile of an archive that io.boxer.agent.PrepareClassDataArchive wrote
# with that JDK before the starts: what `boxer run --class-data-archive` and the Lambda image pass).
# Each start is timed by bash's `time`: wall clock, and CPU = user + system time of the JVM process (all its
# threads: JIT, GC, the agent's). Printed per variant: the median and, in brackets, the quartiles (p25-p75), in
# ms, and the medians' difference to plain.
#
# Start-up runs set BOXER_AGENT_SOCKET to a path where nothing listens: the agent installs fully and, once the
# program touches the network, its watcher thread retries in the background, as when the node is not up yet.
# The connect runs serve the agent a membership view of 64 other addresses (ConnectBench is its own fake node),
# so each timed connect takes the real non-member path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
agent_jar="$here/../target/boxer-agent.jar"
starts="${1:-20}"
connects="${2:-20000}"
rounds="${3:-5}"
jdks="${JDKS:-/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64}"

# $1 name, $2 value, $3 min, $4 max: exits 2 unless the value is an integer in min..max
check_count() {
  if ! [[ "$2" =~ ^[0-9]+$ ]] || (( $2 < $3 || $2 > $4 )); then
    echo "startup.sh: $1 : $2 (expected: $3..$4)" >&2
    exit 2
  fi
}
check_count STARTS "$starts" 1 1000
check_count CONNECTS "$connects" 0 10000000
check_count ROUNDS "$rounds" 1 100
programs="${PROGRAMS:-Hello HelloBind}"
for program in $programs; do
  case "$program" in
    Hello | HelloBind | ManyClasses) ;;
    *) echo "startup.sh: PROGRAMS : '$program' (expected: Hello, HelloBind or ManyClasses, space-separated)" >&2; exit 2 ;;
  esac
done

if [[ ! -f "$agent_jar" || ! -f "$here/../target/boxer-agent-bootstrap.jar" ]]; then
  echo "startup.sh: agent/target/boxer-agent.jar or boxer-agent-bootstrap.jar is missing" \
    "(run: mvn -B -pl agent-bootstrap,agent -am -DskipTests package)" >&2
  exit 2
fi
agent_jar="$(cd "$(dirname "$agent_jar")" && pwd)/boxer-agent.jar"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
first_jdk="${jdks%% *}"
"$first_jdk/bin/javac" --release 17 -d "$work/classes" "$here/Hello.java" "$here/HelloBind.java" \
  "$here/ManyClasses.java" "$here/ConnectBench.java" "$here/EmptyAgent.java"
printf 'Premain-Class: EmptyAgent\nCan-Retransform-Classes: true\n' >"$work/empty.mf"
(cd "$work/classes" && "$first_jdk/bin/jar" --create --file "$work/empty.jar" --manifest "$work/empty.mf" \
  EmptyAgent*.class)

# median and quartiles (p25-p75) of the numbers on stdin (ms), as "median p25 p75"
quartiles() { sort -n | awk '{ v[NR] = $1 } END {
  printf "%.1f %.1f %.1f\n", q(0.5), q(0.25), q(0.75) }
  function q(p,   i, f) { i = 1 + (NR - 1) * p; f = int(i); return v[f] + (i - f) * (v[f + 1] - v[f]) }'; }

# one start of "$@" with stdout and stderr discarded; appends "wall_ms cpu_ms" to file $1
time_start() {
  local out="$1" t
  shift
  t="$( { TIMEFORMAT='%3R %3U %3S'; time "$@" >/dev/null 2>&1; } 2>&1 )"
  awk -v t="$t" 'BEGIN { split(t, f, " "); printf "%.1f %.1f\n", f[1] * 1000, (f[2] + f[3]) * 1000 }' >>"$out"
}

variants=(plain empty transformer javaagent agentlib archive)
if [[ -n "${BASELINE:-}" ]]; then
  [[ -f "$BASELINE" ]] || { echo "startup.sh: BASELINE=$BASELINE is not a file" >&2; exit 2; }
  variants+=(baseline)
fi
flags() {
  case "$1" in
    plain) ;;
    empty) echo "-javaagent:$work/empty.jar" ;;
    transformer) echo "-javaagent:$work/empty.jar=transformer" ;;
    javaagent) echo "-javaagent:$agent_jar" ;;
    agentlib) echo "-agentlib:instrument=$agent_jar" ;;
    archive) echo "-XX:SharedArchiveFile=$archive -javaagent:$agent_jar" ;;
    baseline) echo "-javaagent:$BASELINE" ;;
  esac
}

echo "host: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg); agent jar $(stat -c %s "$agent_jar") bytes"
for jdk in $jdks; do
  java="$jdk/bin/java"
  feature="$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')"
  archive="$work/agent-$feature.jsa"
  "$java" -cp "$agent_jar" io.boxer.agent.PrepareClassDataArchive "$archive" >/dev/null
  for program in $programs; do
    for v in "${variants[@]}"; do # warm the page cache
      # shellcheck disable=SC2046 # flags prints words without spaces (paths from mktemp and this checkout)
      BOXER_AGENT_SOCKET="$work/none.sock" "$java" $(flags "$v") -cp "$work/classes" "$program" >/dev/null 2>&1
      : >"$work/$program.$v"
    done
    for _ in $(seq "$starts"); do
      for v in "${variants[@]}"; do
        # shellcheck disable=SC2046
        BOXER_AGENT_SOCKET="$work/none.sock" time_start "$work/$program.$v" "$java" $(flags "$v") \
          -cp "$work/classes" "$program"
      done
    done
    echo
    echo "== JDK $feature, $program, $starts starts per variant (ms: median, quartiles p25-p75, median minus plain's)"
    printf '%-10s %8s %15s %8s   %8s %15s %8s\n' "variant" "wall" "p25-p75" "+plain" "cpu" "p25-p75" "+plain"
    read -r pw _ _ < <(cut -d' ' -f1 "$work/$program.plain" | quartiles)
    read -r pc _ _ < <(cut -d' ' -f2 "$work/$program.plain" | quartiles)
    for v in "${variants[@]}"; do
      read -r wm w1 w3 < <(cut -d' ' -f1 "$work/$program.$v" | quartiles)
      read -r cm c1 c3 < <(cut -d' ' -f2 "$work/$program.$v" | quartiles)
      printf '%-10s %8s %15s %+8.1f   %8s %15s %+8.1f\n' "$v" "$wm" "$w1-$w3" \
        "$(awk -v a="$wm" -v b="$pw" 'BEGIN { print a - b }')" "$cm" "$c1-$c3" \
        "$(awk -v a="$cm" -v b="$pc" 'BEGIN { print a - b }')"
    done
  done
done

if [[ "$connects" == 0 ]]; then
  exit 0
fi
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
