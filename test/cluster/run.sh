#!/usr/bin/env bash
# npm run test:cluster: installs the pinned tools (cached), then applies dist/ to a real
# kube-apiserver of every built version and runs the policy checkers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
tools=$("$here/install-tools.sh")
while IFS='=' read -r key value; do export "$key=$value"; done <<< "$tools"
exec npx ts-node --transpile-only "$here/conformance.ts"
