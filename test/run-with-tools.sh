#!/usr/bin/env bash
# Runs a suite that drives real tools: DIR/install-tools.sh installs them (cached) and prints
# KEY=path lines, which become the environment of DIR/SCRIPT. A RUN_IN line names a wrapper
# the suite runs through (test/e2e: a network namespace of its own).
#   usage: test/run-with-tools.sh test/cluster conformance.ts
set -euo pipefail
dir=$(cd "$(dirname "$0")/.." && pwd)/$1
cd "$(dirname "$0")/.."
tools=$("$dir/install-tools.sh")
while IFS='=' read -r key value; do export "$key=$value"; done <<< "$tools"
# ts-node would keep a compile cache in the machine's temp folder (v8-compile-cache-<uid>), left
# behind after the suite: the suites start fast enough without it.
export DISABLE_V8_COMPILE_CACHE=1
exec ${RUN_IN:+"$RUN_IN"} npx ts-node --transpile-only "$dir/$2"
