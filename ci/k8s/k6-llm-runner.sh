#!/bin/sh
# k6-llm runner entrypoint (POSIX sh: the official k6 image is Alpine).
#
# k6-operator starts each runner as the container command `k6 run ...`
# (its own command line, not the image's ENTRYPOINT), so the runner image
# (ci/k8s/Dockerfile) installs this script as `k6` ahead of the official
# binary on PATH. For `k6 run` it
#   1. starts the stream meter on loopback (its records: requests.jsonl),
#   2. runs the official k6 with the same arguments and LLM_METER_URL (which
#      holds the meter's secret) in k6's environment only, and LLM_OUT_DIR
#      set to this instance's results folder,
#   3. stops the meter once k6 has exited (it drains and flushes its
#      records) and exits with k6's exit code.
# `k6 archive` and `k6 inspect` (k6-operator's initializer runs both on the
# script, whose init context wants LLM_METER_URL) get a meter without
# records, passed as -e LLM_METER_URL, and no results folder. Every other k6 command, and any command
# that brings its own LLM_METER_URL or uses LLM_TRANSPORT=sse, goes to k6
# unchanged.
#
# Results: $K6_LLM_RESULTS/<testrun_name>/instance-<instance_id>/ (the tags
# k6-operator adds to every runner), else $K6_LLM_RESULTS/<hostname>/, or
# $K6_LLM_INSTANCE as the last part. Each holds llm-summary.json, .md,
# llm-junit.xml, requests.jsonl and meter.log: the input of
# `npx k6-llm merge <instance-dir>... --out <dir>`.
#
# Settings (environment): K6_LLM_REAL_K6 (default /usr/bin/k6),
# K6_LLM_METER (default /usr/local/bin/k6-llm-meter), K6_LLM_RESULTS
# (default /home/k6/results), K6_LLM_INSTANCE, K6_LLM_METER_ARGS (extra
# meter flags, e.g. --max-streams 8192).
set -u

REAL_K6="${K6_LLM_REAL_K6:-/usr/bin/k6}"
METER="${K6_LLM_METER:-/usr/local/bin/k6-llm-meter}"
RESULTS="${K6_LLM_RESULTS:-/home/k6/results}"

say() { printf 'k6-llm-runner: %s\n' "$*" >&2; }

# The stream meter, started in the background: sets meter_pid and url (the
# LLM_METER_URL line; empty when it did not start). $1: records file or "",
# $2: its log. Its stdout (the first line carries the secret) goes to a
# private file deleted once read; its stdin is a FIFO this shell holds open
# on fd 9, so if this shell dies the meter sees EOF and exits (--stdin-lifeline;
# --parent-pid adds the kernel's parent-death signal).
start_meter() {
  tmp="$(mktemp -d)" || return 1
  chmod 700 "$tmp"
  mkfifo "$tmp/lifeline" || return 1
  # shellcheck disable=SC2086 # K6_LLM_METER_ARGS is a list of flags
  if [ -n "$1" ]; then
    "$METER" --stdin-lifeline --parent-pid "$$" --records "$1" ${K6_LLM_METER_ARGS:-} <"$tmp/lifeline" >"$tmp/url" 2>>"$2" &
  else
    "$METER" --stdin-lifeline --parent-pid "$$" ${K6_LLM_METER_ARGS:-} <"$tmp/lifeline" >"$tmp/url" 2>>"$2" &
  fi
  meter_pid=$!
  exec 9>"$tmp/lifeline"
  rm -f "$tmp/lifeline"
  url=""
  tries=0
  while [ "$tries" -lt 100 ]; do
    if [ -s "$tmp/url" ] && [ "$(wc -l <"$tmp/url")" -ge 1 ]; then
      url="$(sed -n 's/^LLM_METER_URL=//p' "$tmp/url" | head -n 1)"
      break
    fi
    kill -0 "$meter_pid" 2>/dev/null || break
    sleep 0.1
    tries=$((tries + 1))
  done
  rm -f "$tmp/url"
  rmdir "$tmp"
  if [ -z "$url" ]; then
    say "the stream meter ($METER) did not start; its log: $(tail -n 3 "$2" 2>/dev/null | tr '\n' ' ')"
    kill -TERM "$meter_pid" 2>/dev/null
    return 1
  fi
}

# Stops the meter (it drains in-flight streams and flushes its records); sets meter_code.
stop_meter() {
  kill -TERM "$meter_pid" 2>/dev/null
  wait "$meter_pid"
  meter_code=$?
  exec 9>&-
}

if [ -n "${LLM_METER_URL:-}" ] || [ "${LLM_TRANSPORT:-}" = "sse" ]; then
  exec "$REAL_K6" "$@"
fi
case "${1:-}" in
  run) ;;
  archive | inspect)
    # k6-operator's initializer archives the script and inspects the archive;
    # the script's init context wants LLM_METER_URL, and these two commands
    # read -e variables only (not the environment): a meter of their own,
    # passed with -e. The archive records that URL; its meter is stopped when
    # the command ends (runners run the script, beside a meter of their own).
    log="$(mktemp)" || exit 1
    start_meter "" "$log" || exit 1
    command="$1"
    shift
    "$REAL_K6" "$command" -e "LLM_METER_URL=$url" "$@" 9>&-
    code=$?
    url=""
    stop_meter
    rm -f "$log"
    exit "$code"
    ;;
  *) exec "$REAL_K6" "$@" ;;
esac

# This instance's folder, from the tags k6-operator adds (--tag instance_id=N --tag testrun_name=NAME).
instance_id=""
testrun=""
prev=""
for arg in "$@"; do
  tag=""
  case "$arg" in
    --tag=*) tag="${arg#--tag=}" ;;
    *) if [ "$prev" = "--tag" ]; then tag="$arg"; fi ;;
  esac
  case "$tag" in
    instance_id=*) instance_id="${tag#instance_id=}" ;;
    testrun_name=*) testrun="${tag#testrun_name=}" ;;
  esac
  prev="$arg"
done
if [ -n "${K6_LLM_INSTANCE:-}" ]; then
  name="$K6_LLM_INSTANCE"
elif [ -n "$instance_id" ]; then
  name="instance-$instance_id"
else
  name="${HOSTNAME:-$(hostname)}"
fi
for part in "$name" "$testrun"; do
  case "$part" in
    *[!A-Za-z0-9._-]* | .*)
      say "invalid instance name \"$part\"; expected letters, digits, '.', '_' or '-' (set K6_LLM_INSTANCE)"
      exit 2
      ;;
  esac
done
dir="$RESULTS/${testrun:+$testrun/}$name"
if [ -e "$dir/requests.jsonl" ] || [ -e "$dir/llm-summary.json" ]; then
  say "invalid results folder $dir; expected a new one, got one that holds a run already (remove it, or use another testrun name or K6_LLM_RESULTS)"
  exit 2
fi
if ! mkdir -p "$dir"; then
  say "invalid K6_LLM_RESULTS; expected a writable folder, could not create $dir"
  exit 2
fi

start_meter "$dir/requests.jsonl" "$dir/meter.log" || exit 1
say "instance $name: stream meter started; results in $dir"

# k6 in the background so this shell (PID 1 in a pod) can pass SIGTERM/SIGINT on to it.
LLM_METER_URL="$url" LLM_OUT_DIR="$dir" "$REAL_K6" "$@" 9>&- &
k6_pid=$!
url=""
trap 'kill -TERM "$k6_pid" 2>/dev/null' TERM
trap 'kill -INT "$k6_pid" 2>/dev/null' INT
while :; do
  wait "$k6_pid"
  code=$?
  # A trapped signal ends `wait` early (code > 128) while k6 is still stopping.
  kill -0 "$k6_pid" 2>/dev/null || break
done
trap - TERM INT

# k6 has written its reports; the meter drains, flushes requests.jsonl and exits.
stop_meter
records=0
[ -f "$dir/requests.jsonl" ] && records="$(wc -l <"$dir/requests.jsonl" | tr -d ' ')"
say "instance $name: k6 exited $code, stream meter exited $meter_code, $records request records in $dir/requests.jsonl"
exit "$code"
