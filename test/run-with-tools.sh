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
exec ${RUN_IN:+"$RUN_IN"} npx ts-node --transpile-only "$dir/$2"
