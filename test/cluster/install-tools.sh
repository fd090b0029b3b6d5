#!/usr/bin/env bash
# Installs what the cluster conformance suite needs into $CACHE (default
# ~/.cache/cdk8s-webstack), each at a pinned version, each reused when already there:
#   etcd         from Debian's etcd-server, unpacked with dpkg -x (no system service starts)
#   kube-score   go install, pinned tag
#   polaris      go install, pinned commit (its tags have no /vN module suffix)
#   kube-apiserver for every apiserver-<minor>/ module here (build-apiserver.sh)
#   kubectl      the machine's; else built from the newest apiserver-<minor>/ module
#   yaml-reader  kubectl's YAML reader (yaml-reader/), for the writer's round trip
# Prints KEY=path lines for the runner.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${CDK8S_WEBSTACK_CACHE:-$HOME/.cache/cdk8s-webstack}
mkdir -p "$cache/bin"
export GOBIN="$cache/bin" GOFLAGS=-mod=mod

KUBE_SCORE=github.com/zegl/kube-score/cmd/kube-score@v1.20.0
POLARIS=github.com/fairwindsops/polaris@v0.0.0-20220512134546-92f0b6e551df

log() { echo "install-tools: $*" >&2; }
# shellcheck source=../_quietly.sh
. "$here/../_quietly.sh"

# etcd from Debian, never started as a service.
etcd="$cache/etcd/usr/bin/etcd"
if [ ! -x "$etcd" ]; then
  log "etcd: downloading Debian's etcd-server"
  work=$(mktemp -d)
  ( cd "$work" && { apt-get download etcd-server >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get download etcd-server >/dev/null; }; } )
  rm -rf "$cache/etcd" && dpkg -x "$work"/etcd-server_*.deb "$cache/etcd"
  rm -rf "$work"
fi

stamp() { echo "$cache/bin/.$1.version"; }
go_install() { # name module@version
  if [ ! -x "$cache/bin/$1" ] || [ "$(cat "$(stamp "$1")" 2>/dev/null)" != "$2" ]; then
    quietly "$1" go install "$2"
    echo "$2" > "$(stamp "$1")"
  fi
}
go_install kube-score "$KUBE_SCORE"
# Polaris is pinned by commit in polaris/go.mod with its go.sum: the checksum database has no
# entry for that pseudo-version and the proxy lists no versions, so `go install m@v` refuses it.
if [ ! -x "$cache/bin/polaris" ] || [ "$(cat "$(stamp polaris)" 2>/dev/null)" != "$POLARIS" ]; then
  polaris() { cd "$here/polaris" && GOSUMDB=off go build -mod=mod -o "$cache/bin/polaris" github.com/fairwindsops/polaris; }
  quietly polaris polaris
  echo "$POLARIS" > "$(stamp polaris)"
fi

# kubectl's YAML reader (apimachinery and sigs.k8s.io/yaml, pinned in yaml-reader/go.mod), for the
# writer's round trip; rebuilt when its source changes.
reader_version=$(cat "$here/yaml-reader/go.mod" "$here/yaml-reader/go.sum" "$here/yaml-reader/main.go" | sha256sum | cut -c1-16)
if [ ! -x "$cache/bin/yaml-reader" ] || [ "$(cat "$(stamp yaml-reader)" 2>/dev/null)" != "$reader_version" ]; then
  reader() { cd "$here/yaml-reader" && go build -mod=mod -o "$cache/bin/yaml-reader" .; }
  quietly yaml-reader reader
  echo "$reader_version" > "$(stamp yaml-reader)"
fi

# kubectl: the machine's, or one built from the newest pinned Kubernetes module.
if command -v kubectl >/dev/null; then
  kubectl=$(command -v kubectl)
else
  newest=$(ls -d "$here"/apiserver-*/ | sort -V | tail -n 1)
  kubectl="$cache/bin/kubectl-$(basename "$newest")"
  if [ ! -x "$kubectl" ]; then
    log "kubectl: not on PATH, building k8s.io/kubernetes/cmd/kubectl from $(basename "$newest")"
    build_kubectl() { cd "$newest" && CGO_ENABLED=0 go build -trimpath -mod=mod -o "$kubectl" k8s.io/kubernetes/cmd/kubectl; }
    quietly kubectl build_kubectl
  fi
fi

echo "ETCD=$etcd"
echo "KUBE_SCORE=$cache/bin/kube-score"
echo "POLARIS=$cache/bin/polaris"
echo "KUBECTL=$kubectl"
echo "YAML_READER=$cache/bin/yaml-reader"
for dir in "$here"/apiserver-*/; do
  minor=$(basename "$dir"); minor=${minor#apiserver-}
  echo "APISERVER_${minor//./_}=$("$here/build-apiserver.sh" "$minor")"
done
