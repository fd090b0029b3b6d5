# Sourced by the suites' install scripts: runs one long build step with its output (hundreds of
# `go: downloading` lines on a cold cache) in a log file, and prints instead one line when it
# starts, one a minute while it runs, and one when it ends, with its wall and CPU seconds; a
# failed step prints the last 40 lines of its log.
#   usage: quietly NAME COMMAND [ARGS...]   (logs in $CDK8S_WEBSTACK_CACHE/logs/NAME.log)
# Call it as a command of its own, never under `if`, `&&` or `||`, where bash ignores errexit
# inside it and a failing step would run on.
quietly() {
  local name=$1; shift
  local logs=${CDK8S_WEBSTACK_CACHE:-$HOME/.cache/cdk8s-webstack}/logs
  mkdir -p "$logs"
  # A module path names the step; its log is one file of the folder.
  local log="$logs/${name//[^A-Za-z0-9._@-]/_}.log" start=$SECONDS cpu_before
  cpu_before=$(cpu_seconds)
  echo "building $name (a cold build takes minutes; log: $log)" >&2
  # The ticker writes to stderr only: a `sleep` it leaves behind must not hold the stdout of a
  # $(install-tools.sh) open, which would keep the caller waiting for it.
  ( while sleep 60; do echo "  still building $name: $((SECONDS - start)) s"; done ) >&2 </dev/null &
  local ticker=$!
  # In a subshell of its own with errexit on: a step that fails anywhere fails (under `||`
  # bash would ignore errexit inside it).
  local errexit=$- status
  set +e
  ( set -e; "$@" ) >"$log" 2>&1
  status=$?
  [[ $errexit == *e* ]] && set -e
  kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    echo "building $name failed (exit $status) after $((SECONDS - start)) s; the end of $log:" >&2
    tail -n 40 "$log" >&2
    return "$status"
  fi
  echo "built $name in $((SECONDS - start)) s ($(( $(cpu_seconds) - cpu_before )) s of CPU)" >&2
}

# CPU seconds used so far by this shell's finished children (user + system).
cpu_seconds() {
  local ticks
  ticks=$(awk '{ print $16 + $17 }' /proc/$$/stat 2>/dev/null || echo 0)
  echo $(( ticks / $(getconf CLK_TCK) ))
}
