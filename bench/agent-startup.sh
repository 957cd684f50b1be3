#!/usr/bin/env bash
# What the UpgradeGate agent adds to Tomcat 11's startup: the time from starting the process to the first
# 200 response, without (A) and with (B) -javaagent, runs interleaved A/B so that drift in machine load hits
# both alike. Prints every run and the medians.
#
#   mvn -B -q -o install -DskipTests && bench/agent-startup.sh [RUNS]      (RUNS per variant, default 7)
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

# Prints the milliseconds from the process start to the first 200 of /hello/ (or fails after 60 s).
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
      kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
      echo $((end - start))
      return
    fi
    sleep 0.05
  done
  echo "no 200 within 60 s; see $BASE/logs/console.log" >&2
  exit 1
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

one_run "" > /dev/null   # warm the file system cache for both variants
A=(); B=()
for i in $(seq 1 "$RUNS"); do
  a=$(one_run "")
  b=$(one_run "-javaagent:$AGENT=config=$BASE/conf/upgradegate.properties")
  A+=("$a"); B+=("$b")
  echo "run $i: without agent ${a} ms, with agent ${b} ms"
done
ma=$(printf '%s\n' "${A[@]}" | median)
mb=$(printf '%s\n' "${B[@]}" | median)
echo "median of $RUNS: without agent ${ma} ms, with agent ${mb} ms, added $((mb - ma)) ms" \
     "($(awk "BEGIN {printf \"%.1f\", ($mb - $ma) * 100 / $ma}")%)"
java -version 2>&1 | head -1
