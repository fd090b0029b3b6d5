#!/usr/bin/env bash
# Regenerates the TypeScript bindings in this folder from the upstream CRDs in ../shared/fixtures
# (`npm run import`). Never edit the generated .ts files by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
fixtures=../shared/fixtures
work=$(mktemp -d)
trap 'cp "$work/cdk8s.yaml" cdk8s.yaml 2>/dev/null; rm -rf "$work"' EXIT
cp cdk8s.yaml "$work/cdk8s.yaml" # cdk8s import records what it imported there; keep the file as it is

import() { npx cdk8s import "$1" --language typescript --output lib/imports --check-upgrade=false; }

import "$fixtures/external-dns/dnsendpoints.externaldns.k8s.io.yaml"
# Gateway API, Standard channel: only the kinds the library emits, in one file.
for kind in gateways httproutes grpcroutes tcproutes tlsroutes referencegrants; do
  cat "$fixtures/gateway-api/v1.6.1/gateway.networking.k8s.io_$kind.yaml"
  echo '---'
done > "$work/gateway-api.yaml"
import "$work/gateway-api.yaml"
