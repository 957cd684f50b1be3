#!/usr/bin/env bash
# The benchmarks of issue 6, side by side, in one run: builds what they need, runs them all and prints a Markdown
# table of medians and ratios with the goals beside them (also written to bench/target/table.md).
#
#   bench/run.sh                   the full measurement (about 35 minutes on 2 cores)
#   bench/run.sh --smoke           everything once, tiny and fast, to keep the script working (CI)
#   bench/run.sh --before COMMIT   also the valve and the agent built at COMMIT, beside today's, in the
#                                  pass-through rounds: a fix's before and after from one run
#
# Needs JDK 17, Maven, wrk and pg_dump (apt-get install wrk postgresql-client). All traffic stays on 127.0.0.1. See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=
before=
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=--smoke ;;
    --before) before="${2:?--before needs a commit}"; shift ;;
    *) echo "usage: bench/run.sh [--smoke] [--before COMMIT]" >&2; exit 2 ;;
  esac
  shift
done

command -v wrk >/dev/null 2>&1 || { echo "bench/run.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v pg_dump >/dev/null 2>&1 || { echo "bench/run.sh: pg_dump is missing (apt-get install postgresql-client)" >&2; exit 1; }

target=bench/target
rm -rf "$target"
mkdir -p "$target"
log() { echo "[run.sh] $*" >&2; }

machine() {
  echo "- CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "- Memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "- JDK: $(java -version 2>&1 | head -1)"
  echo "- wrk: $(wrk --version 2>&1 | head -1 | awk '{print $2}')"
  echo "- Code: commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(git status --short -- . ':!bench' 2>/dev/null | wc -l) files changed or new outside bench/ in the working tree"
  echo "- Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
machine > "$target/machine.md"
cat "$target/machine.md" >&2

# 1. Build: the modules the benchmarks need, from source, in the benchmarks' own reactor (bench/pom.xml).
log "building (mvn -f bench/pom.xml package)"
# Other builds in the same tree may be writing the same target/ directories: one retry.
mvn -B -q -f bench/pom.xml package -Dmaven.test.skip=true \
  || { log "build failed; retrying once"; sleep 10; mvn -B -q -f bench/pom.xml package -Dmaven.test.skip=true; }

# The "before" side: the valve's and the agent's jars built from COMMIT's sources, in a reactor of their own.
before_args=()
if [ -n "$before" ]; then
  log "building the valve and the agent at $before"
  mkdir -p "$target/before/src"
  git archive "$before" | tar -x -C "$target/before/src"
  mvn -B -q -f "$target/before/src/bench/pom.xml" package -Dmaven.test.skip=true > "$target/before/build.log" 2>&1 \
    || { tail -20 "$target/before/build.log" >&2; log "the build at $before failed"; exit 1; }
  cp "$target/before/src/bench/harness/target/bench/upgradegate-tomcat-valve.jar" \
    "$target/before/src/bench/harness/target/bench/upgradegate-agent.jar" "$target/before/"
  git rev-parse --short "$before" > "$target/before/COMMIT"
  before_args=(--before "$target/before")
fi

if [ -n "$smoke" ]; then
  jmh_args=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
  limit=600
else
  jmh_args=()
  limit=3600
fi

# 2. Benchmark 4, the hot path: JMH with the gc profiler. The decision alone (the valve's figure), and the agent's
#    servlet path around it on a real Tomcat request (accessor, path, decision), in one run.
log "JMH: WebappGate.passes and the agent's servlet path"
timeout "$limit" java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main \
  "dev.upgradegate.bench.jmh.(PassesBenchmark|AgentServletBenchmark)" "${jmh_args[@]}" -prof gc -rf json \
  -rff "$target/jmh.json" > "$target/jmh.log" 2>&1 || { tail -40 "$target/jmh.log" >&2; log "JMH failed"; exit 1; }
grep -E "^(Benchmark|PassesBenchmark|AgentServletBenchmark)" "$target/jmh.log" >&2 || true
# The same calls timed in thread CPU time: a cross-check that descheduling on a loaded machine cannot inflate.
if [ -n "$smoke" ]; then calls=2000000; else calls=200000000; fi
timeout "$limit" java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" dev.upgradegate.bench.jmh.CpuTime "$calls" \
  2> "$target/cputime.log" | grep '^cpu-ns-per-call' > "$target/cputime.txt" || { tail -20 "$target/cputime.log" >&2; exit 1; }
cat "$target/cputime.txt" >&2

# 3. Benchmarks 1, 2, 3, 5 and 7: real Tomcat 11 processes, wrk, MariaDB, Liquibase and Flyway, dumps.
log "harness: pass-through, gated, database reads, upgrade (Liquibase, Flyway), backup (MariaDB, PostgreSQL), parse and refresh"
timeout "$limit" java -Xmx1g -cp "bench/harness/target/classes:bench/harness/target/lib/*" dev.upgradegate.bench.Bench \
  --dir bench/harness/target/bench --agent bench/harness/target/bench/upgradegate-agent.jar \
  --out "$target/results.tsv" $smoke "${before_args[@]}" 2>&1 | tee "$target/harness.log" >&2

# 4. Benchmark 6, agent startup: bench/agent-startup.sh, owned by the agent's engineer (its own section in
#    docs/benchmarks.md); run here when it exists, its medians turned into one row of the table.
agent=()
if [ -f bench/agent-startup.sh ]; then
  if [ -n "$smoke" ]; then runs=1; else runs=7; fi
  if ! ls agent/target/upgradegate-agent-*-SNAPSHOT.jar >/dev/null 2>&1 || ! ls -d agent/target/dist/apache-tomcat-11.* >/dev/null 2>&1; then
    log "building the agent and unpacking its Tomcat distributions"
    { mvn -B -q -pl agent -am package -Dmaven.test.skip=true && mvn -B -q -pl agent dependency:unpack@unpack-distributions; } \
      > "$target/agent-build.log" 2>&1 || log "agent build failed; see $target/agent-build.log"
  fi
  log "agent startup (bench/agent-startup.sh $runs)"
  if timeout "$limit" bash bench/agent-startup.sh "$runs" > "$target/agent.log" 2>&1 \
      && line=$(grep '^median of' "$target/agent.log"); then
    echo "$line" | awk -v runs="$runs" '{
      for (i = 1; i <= NF; i++) { if ($i == "without") a = $(i + 2); if ($i == "with") b = $(i + 2) }
      added = b - a; pct = a > 0 ? added * 100 / a : 0
      met = (added <= 200 && pct <= 15) ? "met" : "MISSED"
      printf "| 6. Agent startup: Tomcat 11 start to first 200, with vs without -javaagent (bench/agent-startup.sh, %d run(s) each) | ms; added %+d ms (%+.1f %%) | %d | %d | %.3f | ≤ +15 %% and ≤ +200 ms | %s |\n", runs, added, pct, b, a, b / a, met
    }' > "$target/agent.md"
  else
    log "bench/agent-startup.sh failed; see $target/agent.log"
    echo "| 6. Agent startup | bench/agent-startup.sh | | | | | FAILED (see bench/target/agent.log) |" > "$target/agent.md"
  fi
  agent=(--agent "$target/agent.md")
fi

echo "- Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$target/machine.md"
java -cp "bench/harness/target/classes:bench/harness/target/lib/*" dev.upgradegate.bench.Report \
  "$target/results.tsv" --jmh "$target/jmh.json" --cpu "$target/cputime.txt" "${agent[@]}" > "$target/table.md"
{
  echo
  cat "$target/machine.md"
  echo
  cat "$target/table.md"
} | tee "$target/report.md"
if grep -q "MISSED\|FAILED" "$target/table.md"; then
  log "some goals are missed (see the table); the run itself succeeded"
fi
