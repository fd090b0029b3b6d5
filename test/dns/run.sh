#!/usr/bin/env bash
# npm run test:dns: installs BIND and cfn-lint (cached), then checks the zone files and
# CloudFormation templates in dist/ with them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
tools=$("$here/install-tools.sh")
while IFS='=' read -r key value; do export "$key=$value"; done <<< "$tools"
exec npx ts-node --transpile-only "$here/check.ts"
