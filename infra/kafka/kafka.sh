#!/usr/bin/env bash
# A local single-node Apache Kafka broker (KRaft) from Maven Central jars: no tarball, no Docker.
#
#   kafka.sh fetch    download the broker jars into infra/kafka/.cache/libs (once)
#   kafka.sh start    fetch if needed, format storage once, start, wait until it serves requests
#   kafka.sh stop     stop it (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT seconds)
#   kafka.sh status   exit 0 when running
#   kafka.sh logs     the broker log (logs -f to follow)
#
# Every command is safe to call twice. Environment (all optional):
#   KAFKA_STATE_DIR        data, pid and log folder            (default: <repo>/data/kafka)
#   KAFKA_PORT             client listener port                (default: 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port               (default: 9093)
#   KAFKA_HEAP_OPTS        JVM heap                            (default: -Xms256m -Xmx512m)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker      (default: 90)
#   KAFKA_STOP_TIMEOUT     seconds to wait before SIGKILL      (default: 30)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
libs="$here/.cache/libs"
state="${KAFKA_STATE_DIR:-$repo/data/kafka}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
heap="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
start_timeout="${KAFKA_START_TIMEOUT:-90}"
stop_timeout="${KAFKA_STOP_TIMEOUT:-30}"
pid_file="$state/kafka.pid"
log_file="$state/kafka.log"
config="$state/server.properties"

say() { echo "kafka: $*" >&2; }

running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # A recycled pid is not our broker.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka.Kafka' || return 1
  echo "$pid"
}

fetch() {
  if [ -f "$libs/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { say "Maven (mvn) is needed to fetch the broker jars"; exit 1; }
  say "fetching broker jars from Maven Central into $libs"
  rm -rf "$libs"
  mvn -B -q -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
  touch "$libs/.complete"
}

java_cmd() {
  local main="$1"; shift
  java $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$state/logs" \
    -cp "$libs/*" "$main" "$@"
}

write_config() {
  mkdir -p "$state/logs" "$state/data"
  # Later keys win in java.util.Properties: the overrides follow the committed file.
  {
    cat "$here/server.properties"
    echo
    echo "# --- written by kafka.sh ---"
    echo "log.dirs=$state/data"
    echo "listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$port"
    echo "controller.quorum.bootstrap.servers=127.0.0.1:$controller_port"
  } >"$config"
}

format_once() {
  if [ -f "$state/data/meta.properties" ]; then return 0; fi
  local cluster_id
  cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  say "formatting storage in $state/data (cluster $cluster_id)"
  java_cmd kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$config" --ignore-formatted >>"$log_file" 2>&1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local pid
  if pid="$(running_pid)"; then say "already running (pid $pid, port $port)"; return 0; fi
  if port_open "$port"; then say "port $port is taken by another process"; exit 1; fi
  fetch
  write_config
  format_once
  : >"$log_file"
  # Own session: a Ctrl-C in the caller's terminal does not reach the broker; stop does.
  setsid bash -c 'exec "$@"' _ java $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$state/logs" \
    -cp "$libs/*" kafka.Kafka "$config" >>"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  say "starting (pid $(cat "$pid_file"), log $log_file)"
  local waited=0
  until grep -q 'Kafka Server started' "$log_file" 2>/dev/null && port_open "$port"; do
    # Our own child, just started: alive is enough (running_pid's command-line check can run before
    # the forked shell has exec'd java, when the command line is still this script's — seen under load).
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then say "broker exited during start; last log lines:"; tail -n 30 "$log_file" >&2; exit 1; fi
    if [ "$waited" -ge "$((start_timeout * 5))" ]; then say "not ready after ${start_timeout}s"; tail -n 30 "$log_file" >&2; exit 1; fi
    sleep 0.2
    waited=$((waited + 1))
  done
  say "ready on 127.0.0.1:$port"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then say "not running"; rm -f "$pid_file"; return 0; fi
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$((stop_timeout * 5))" ]; then say "still running after ${stop_timeout}s: SIGKILL"; kill -KILL "$pid" || true; break; fi
    sleep 0.2
    waited=$((waited + 1))
  done
  rm -f "$pid_file"
  say "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then echo "running (pid $pid, port $port, state $state)"; return 0; fi
  echo "stopped"
  return 3
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs) if [ "${2:-}" = "-f" ]; then tail -n 200 -F "$log_file"; else tail -n 200 "$log_file"; fi ;;
  *) echo "usage: $0 fetch|start|stop|status|logs [-f]" >&2; exit 2 ;;
esac
