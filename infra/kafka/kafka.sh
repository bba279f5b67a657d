#!/usr/bin/env bash
# A local Apache Kafka (KRaft) from Maven Central jars: no tarball, no Docker. One node by default;
# KAFKA_NODES=3 makes a cluster of three (each node both broker and controller: one combined
# quorum of three voters — docs/operations.md "A local three-broker cluster").
#
#   kafka.sh fetch           download the broker jars into infra/kafka/.cache/libs (once)
#   kafka.sh start           fetch if needed, format storage once, start every node, wait until each serves requests
#   kafka.sh stop            stop every node (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT seconds)
#   kafka.sh status          exit 0 when every node is running
#   kafka.sh logs [N] [-f]   a node's log (node 1 by default; -f to follow)
#   kafka.sh start-node N    start node N (1…KAFKA_NODES) alone, e.g. after a kill
#   kafka.sh stop-node N     stop node N (SIGTERM)
#   kafka.sh kill-node N     kill node N (SIGKILL: a crash; its log on disk survives)
#   kafka.sh quorum          the controller quorum's leader (node id) and epoch, from the nodes' quorum-state files
#
# Every command is safe to call twice. Environment (all optional):
#   KAFKA_STATE_DIR        data, pid and log folder            (default: <repo>/data/kafka)
#   KAFKA_NODES            1 (a single node) or 3 (a cluster)  (default: 1)
#   KAFKA_PORT             client listener port of node 1      (default: 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port of node 1     (default: KAFKA_PORT + 1)
#                          Node N listens on KAFKA_PORT + 2(N-1) and KAFKA_CONTROLLER_PORT + 2(N-1).
#   KAFKA_HEAP_OPTS        JVM heap of each node               (default: -Xms256m -Xmx512m; a cluster: -Xms128m -Xmx384m)
#   KAFKA_START_TIMEOUT    seconds to wait for a node          (default: 90)
#   KAFKA_STOP_TIMEOUT     seconds to wait before SIGKILL      (default: 30)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
libs="$here/.cache/libs"
state="${KAFKA_STATE_DIR:-$repo/data/kafka}"
nodes="${KAFKA_NODES:-1}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
if [ "$nodes" = 1 ]; then default_heap="-Xms256m -Xmx512m"; else default_heap="-Xms128m -Xmx384m"; fi
heap="${KAFKA_HEAP_OPTS:-$default_heap}"
start_timeout="${KAFKA_START_TIMEOUT:-90}"
stop_timeout="${KAFKA_STOP_TIMEOUT:-30}"

case "$nodes" in 1 | 3) ;; *) echo "kafka: KAFKA_NODES must be 1 or 3 (was $nodes)" >&2; exit 2 ;; esac

say() { echo "kafka: $*" >&2; }

# A single node keeps the layout it always had (state/data, state/kafka.pid …); node N of a cluster lives in state/node-N.
node_dir() { if [ "$nodes" = 1 ]; then echo "$state"; else echo "$state/node-$1"; fi; }
node_port() { echo $((port + 2 * ($1 - 1))); }
node_controller_port() { echo $((controller_port + 2 * ($1 - 1))); }

check_node() {
  case "${1:-}" in '' | *[!0-9]*) say "name a node: 1…$nodes"; exit 2 ;; esac
  if [ "$1" -lt 1 ] || [ "$1" -gt "$nodes" ]; then say "no node $1 (KAFKA_NODES=$nodes)"; exit 2; fi
}

running_pid() {
  local pid_file
  pid_file="$(node_dir "$1")/kafka.pid"
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
  local dir="$1" main="$2"; shift 2
  java $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$dir/logs" \
    -cp "$libs/*" "$main" "$@"
}

voters() {
  local i list=""
  for i in $(seq 1 "$nodes"); do list="${list:+$list,}$i@127.0.0.1:$(node_controller_port "$i")"; done
  echo "$list"
}

write_config() {
  local n="$1" dir
  dir="$(node_dir "$n")"
  mkdir -p "$dir/logs" "$dir/data"
  # Later keys win in java.util.Properties: the overrides follow the committed file.
  {
    cat "$here/server.properties"
    echo
    echo "# --- written by kafka.sh ---"
    echo "log.dirs=$dir/data"
    echo "listeners=PLAINTEXT://127.0.0.1:$(node_port "$n"),CONTROLLER://127.0.0.1:$(node_controller_port "$n")"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$(node_port "$n")"
    if [ "$nodes" = 1 ]; then
      echo "controller.quorum.bootstrap.servers=127.0.0.1:$(node_controller_port "$n")"
    else
      # A static quorum of every node (formatted without --standalone); replicated internal topics
      # and the cluster's defaults: three copies, two in sync before a write is acknowledged.
      echo "node.id=$n"
      echo "controller.quorum.bootstrap.servers="
      echo "controller.quorum.voters=$(voters)"
      echo "default.replication.factor=3"
      echo "min.insync.replicas=2"
      echo "offsets.topic.replication.factor=3"
      echo "transaction.state.log.replication.factor=3"
      echo "transaction.state.log.min.isr=2"
      echo "share.coordinator.state.topic.replication.factor=3"
      echo "share.coordinator.state.topic.min.isr=2"
      echo "unclean.leader.election.enable=false"
    fi
  } >"$dir/server.properties"
}

cluster_id() {
  # One id for every node of the cluster, made once.
  if [ ! -s "$state/cluster.id" ]; then
    mkdir -p "$state"
    java_cmd "$state" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$state/cluster.id"
  fi
  cat "$state/cluster.id"
}

format_once() {
  local n="$1" dir id
  dir="$(node_dir "$n")"
  if [ -f "$dir/data/meta.properties" ]; then return 0; fi
  id="$(cluster_id)"
  say "formatting storage of node $n in $dir/data (cluster $id)"
  if [ "$nodes" = 1 ]; then
    java_cmd "$dir" kafka.tools.StorageTool format --standalone -t "$id" -c "$dir/server.properties" --ignore-formatted >>"$dir/kafka.log" 2>&1
  else
    java_cmd "$dir" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" --ignore-formatted >>"$dir/kafka.log" 2>&1
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts node N without waiting (a node of a static quorum cannot finish starting before a majority runs).
launch_node() {
  local n="$1" dir pid
  dir="$(node_dir "$n")"
  if pid="$(running_pid "$n")"; then say "node $n already running (pid $pid, port $(node_port "$n"))"; return 0; fi
  if port_open "$(node_port "$n")"; then say "port $(node_port "$n") is taken by another process"; exit 1; fi
  write_config "$n"
  format_once "$n"
  : >"$dir/kafka.log"
  # Own session: a Ctrl-C in the caller's terminal does not reach the broker; stop does.
  setsid bash -c 'exec "$@"' _ java $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.yaml" -Dkafka.logs.dir="$dir/logs" \
    -cp "$libs/*" kafka.Kafka "$dir/server.properties" >>"$dir/kafka.log" 2>&1 </dev/null &
  echo $! >"$dir/kafka.pid"
  say "starting node $n (pid $(cat "$dir/kafka.pid"), log $dir/kafka.log)"
}

await_node() {
  local n="$1" dir waited=0
  dir="$(node_dir "$n")"
  until grep -q 'Kafka Server started' "$dir/kafka.log" 2>/dev/null && port_open "$(node_port "$n")"; do
    # Alive is enough while it starts (running_pid's command-line check can run before the forked
    # shell has exec'd java, when the command line is still this script's — seen under load).
    if ! kill -0 "$(cat "$dir/kafka.pid" 2>/dev/null)" 2>/dev/null; then say "node $n exited during start; last log lines:"; tail -n 30 "$dir/kafka.log" >&2; exit 1; fi
    if [ "$waited" -ge "$((start_timeout * 5))" ]; then say "node $n not ready after ${start_timeout}s"; tail -n 30 "$dir/kafka.log" >&2; exit 1; fi
    sleep 0.2
    waited=$((waited + 1))
  done
  say "node $n ready on 127.0.0.1:$(node_port "$n")"
}

start() {
  fetch
  local i
  for i in $(seq 1 "$nodes"); do launch_node "$i"; done
  for i in $(seq 1 "$nodes"); do await_node "$i"; done
}

start_node() {
  check_node "$1"
  fetch
  launch_node "$1"
  await_node "$1"
}

stop_node() {
  local n="$1" pid dir waited=0
  dir="$(node_dir "$n")"
  if ! pid="$(running_pid "$n")"; then say "node $n not running"; rm -f "$dir/kafka.pid"; return 0; fi
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge "$((stop_timeout * 5))" ]; then say "node $n still running after ${stop_timeout}s: SIGKILL"; kill -KILL "$pid" || true; break; fi
    sleep 0.2
    waited=$((waited + 1))
  done
  rm -f "$dir/kafka.pid"
  say "node $n stopped"
}

kill_node() {
  local n="$1" pid
  check_node "$n"
  if ! pid="$(running_pid "$n")"; then say "node $n not running"; return 0; fi
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$(node_dir "$n")/kafka.pid"
  say "node $n killed (SIGKILL)"
}

stop() {
  local i pids=()
  # In parallel: a node of a cluster stopping alone waits on the others' controlled shutdown.
  for i in $(seq 1 "$nodes"); do stop_node "$i" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i"; done
}

status() {
  local i down=0 pid
  for i in $(seq 1 "$nodes"); do
    if pid="$(running_pid "$i")"; then echo "node $i running (pid $pid, port $(node_port "$i"), state $(node_dir "$i"))"; else echo "node $i stopped"; down=1; fi
  done
  [ "$down" = 0 ] || return 3
}

# The quorum's latest view: each voter writes its leader and epoch in its quorum-state file on every change.
quorum() {
  local i file best_epoch=-1 leader=""
  for i in $(seq 1 "$nodes"); do
    file="$(node_dir "$i")/data/__cluster_metadata-0/quorum-state"
    [ -f "$file" ] || continue
    local epoch id
    epoch="$(grep -o '"leaderEpoch":[0-9-]*' "$file" | cut -d: -f2)"
    id="$(grep -o '"leaderId":[0-9-]*' "$file" | cut -d: -f2)"
    if [ -n "$epoch" ] && [ "$epoch" -gt "$best_epoch" ]; then best_epoch="$epoch"; leader="$id"; fi
  done
  [ -n "$leader" ] || { say "no quorum state yet"; return 1; }
  echo "leader $leader epoch $best_epoch"
}

node_arg() { local n="${1:-1}"; check_node "$n"; echo "$n"; }

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  start-node) start_node "${2:-}" ;;
  stop-node) check_node "${2:-}"; stop_node "$2" ;;
  kill-node) kill_node "${2:-}" ;;
  quorum) quorum ;;
  logs)
    n=1 follow=""
    for arg in "${@:2}"; do if [ "$arg" = "-f" ]; then follow=1; else n="$(node_arg "$arg")"; fi; done
    log="$(node_dir "$n")/kafka.log"
    if [ -n "$follow" ]; then tail -n 200 -F "$log"; else tail -n 200 "$log"; fi
    ;;
  *) echo "usage: $0 fetch|start|stop|status|quorum|logs [N] [-f]|start-node N|stop-node N|kill-node N" >&2; exit 2 ;;
esac
