#!/usr/bin/env bash
# Installs what the end-to-end suite needs into $CACHE (default ~/.cache/cdk8s-webstack), each
# pinned, each reused when already there:
#   etcd, kubectl, kube-apiserver                 test/cluster/install-tools.sh
#   kube-controller-manager, kube-scheduler       test/cluster/build-apiserver.sh, the same
#                                                 module apiserver-1.37/ as the API server
#   kwok (fake nodes and pods)                    go install, pinned
#   ExternalDNS                                   go install, pinned
#   Traefik                                       build-traefik.sh, from the module traefik/
#   named (BIND) and dig                          test/dns/install-tools.sh
# Prints KEY=path lines for the runner.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${CDK8S_WEBSTACK_CACHE:-$HOME/.cache/cdk8s-webstack}
mkdir -p "$cache/bin"
export GOBIN="$cache/bin" GOFLAGS=-mod=mod

KWOK=sigs.k8s.io/kwok/cmd/kwok@v0.8.0
# v0.23.0 needs Go 1.27, and v0.22.0 needs modules the Go proxy here refuses (openshift/api and
# egoscale/v3 at the versions it pins). v0.21.0 builds; its Gateway API client is v1.5.1, and the
# gateway-httproute source reads only the v1 Gateway and HTTPRoute, the same in v1.6.1.
EXTERNAL_DNS=sigs.k8s.io/external-dns@v0.21.0
MINOR=1.37

log() { echo "install-e2e-tools: $*" >&2; }
# shellcheck source=../_quietly.sh
. "$here/../_quietly.sh"

# The cluster suite's tools: etcd, kubectl and the API servers (only the 1.37 one is used here).
"$here/../cluster/install-tools.sh" | grep -E '^(ETCD|KUBECTL)='
echo "KUBE_APISERVER=$("$here/../cluster/build-apiserver.sh" "$MINOR")"
echo "KUBE_CONTROLLER_MANAGER=$("$here/../cluster/build-apiserver.sh" "$MINOR" kube-controller-manager)"
echo "KUBE_SCHEDULER=$("$here/../cluster/build-apiserver.sh" "$MINOR" kube-scheduler)"

stamp() { echo "$cache/bin/.$1.version"; }
go_install() { # name module@version
  if [ ! -x "$cache/bin/$1" ] || [ "$(cat "$(stamp "$1")" 2>/dev/null)" != "$2" ]; then
    quietly "$1" go install -trimpath -ldflags '-s -w' "$2"
    echo "$2" > "$(stamp "$1")"
  fi
}
go_install kwok "$KWOK"
go_install external-dns "$EXTERNAL_DNS"
echo "KWOK=$cache/bin/kwok"
# kwok's own node stages (initialize, heartbeat), read from its module.
echo "KWOK_STAGES=$(GOFLAGS= go mod download -json "${KWOK%%/cmd/*}@${KWOK##*@}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')/kustomize/stage"
echo "EXTERNAL_DNS=$cache/bin/external-dns"
echo "TRAEFIK=$("$here/build-traefik.sh")"

"$here/../dns/install-tools.sh" | grep -E '^(NAMED|DIG)='

# The suite runs in a network namespace of its own (netns.sh): unshare (util-linux) and ip (iproute2).
if ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
  log "iproute2, util-linux: apt-get install"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 util-linux >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 util-linux >/dev/null; }
fi
echo "RUN_IN=$here/netns.sh"
