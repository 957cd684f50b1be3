#!/usr/bin/env bash
# What the UpgradeGate agent adds to Tomcat 11's startup: the time from starting the process to the first
# 200 response, without (A) and with (B) -javaagent, runs interleaved A/B so that drift in machine load hits
# both alike. Prints every run and the medians.
#
#   mvn -B -q -o install -DskipTests && bench/agent-startup.sh [RUNS]      (RUNS per variant, default 7)
#
# COMPARE_AGENT=/path/other-agent.jar adds a third variant (C, e.g. an earlier build of the agent), interleaved
# A/B/C, to measure a change before and after under the same load.
#
# Needs the Tomcat 11 distribution the agent's build unpacks (agent/target/dist, run `mvn -pl agent verify`
# or `mvn -pl agent dependency:unpack@unpack-distributions` once), curl, and a free port 18931.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-7}
PORT=${BENCH_PORT:-18931}
HOME_DIR=$(ls -d "$ROOT"/agent/target/dist/apache-tomcat-11.* | head -1)
AGENT=$(ls "$ROOT"/agent/target/upgradegate-agent-*-SNAPSHOT.jar 2>/dev/null | grep -v core | head -1)
[ -d "$HOME_DIR" ] || { echo "no Tomcat 11 distribution under agent/target/dist" >&2; exit 1; }
[ -f "$AGENT" ] || { echo "no agent jar under agent/target" >&2; exit 1; }

WORK=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# One CATALINA_BASE: the distribution's conf/, a small webapp, the agent's configuration. The webapp is not
# gated (no database here): this measures what the agent costs every JVM, gated or not.
BASE=$WORK/base
mkdir -p "$BASE"/{logs,temp,work,webapps/hello,lib}
cp -r "$HOME_DIR/conf" "$BASE/"
sed -i "s/port=\"8005\"/port=\"-1\"/; s/port=\"8080\"/port=\"$PORT\" address=\"127.0.0.1\"/" "$BASE/conf/server.xml"
echo '<!doctype html><title>hello</title>hello' > "$BASE/webapps/hello/index.html"
printf 'install.token=bench-install-token-0123456789\napp.other.jdbc.url=jdbc:mysql://127.0.0.1:1/other\n' \
  > "$BASE/conf/upgradegate.properties"

now_ms() { date +%s%3N; }

TICK=$(getconf CLK_TCK)

# Prints the milliseconds from the process start to the first 200 of /hello/ (or fails after 60 s), and the
# CPU milliseconds (user + system) the JVM had used by then: on a shared machine the wall time swings with the
# load of others, the CPU time much less. catalina.sh run execs java, so $! is the JVM itself.
one_run() {
  local opts=$1 start end
  rm -rf "$BASE/work"/* "$BASE/logs"/*
  start=$(now_ms)
  CATALINA_HOME=$HOME_DIR CATALINA_BASE=$BASE CATALINA_OPTS=$opts JAVA_OPTS= \
    sh "$HOME_DIR/bin/catalina.sh" run > "$BASE/logs/console.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 1200); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/hello/" || true)" = 200 ]; then
      end=$(now_ms)
      cpu=$(awk -v tick="$TICK" '{print int(($14 + $15) * 1000 / tick)}' "/proc/$PID/stat")
      kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
      echo "$((end - start)) $cpu"
      return
    fi
    sleep 0.05
  done
  echo "no 200 within 60 s; see $BASE/logs/console.log" >&2
  exit 1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

one_run "" > /dev/null   # warm the file system cache for both variants
COMPARE=${COMPARE_AGENT:-}
AGENT_OPTS="-javaagent:$AGENT=config=$BASE/conf/upgradegate.properties"
COMPARE_OPTS="-javaagent:$COMPARE=config=$BASE/conf/upgradegate.properties"
A=(); B=(); C=(); AC=(); BC=(); CC=()
for i in $(seq 1 "$RUNS"); do
  read -r a ac < <(one_run "")
  read -r b bc < <(one_run "$AGENT_OPTS")
  A+=("$a"); B+=("$b"); AC+=("$ac"); BC+=("$bc")
  line="run $i (wall/cpu ms): without agent $a/$ac, with agent $b/$bc"
  if [ -n "$COMPARE" ]; then
    read -r c cc < <(one_run "$COMPARE_OPTS")
    C+=("$c"); CC+=("$cc")
    line="$line, with $COMPARE $c/$cc"
  fi
  echo "$line"
done
# The first line keeps the format bench/run.sh parses (grep '^median of'): "without agent A ms, with agent B ms".
report() {  # label, median without, median with
  echo "$1: without agent $2 ms, with agent $3 ms, added $(($3 - $2)) ms" \
       "($(awk "BEGIN {printf \"%.1f\", ($3 - $2) * 100 / $2}")%)"
}
m() { printf '%s\n' "$@" | median; }
report "median of $RUNS" "$(m "${A[@]}")" "$(m "${B[@]}")"
report "cpu time, median of $RUNS" "$(m "${AC[@]}")" "$(m "${BC[@]}")"
if [ -n "$COMPARE" ]; then
  report "compared: $COMPARE, median of $RUNS" "$(m "${A[@]}")" "$(m "${C[@]}")"
  report "compared: $COMPARE, cpu time, median of $RUNS" "$(m "${AC[@]}")" "$(m "${CC[@]}")"
fi
java -version 2>&1 | head -1
