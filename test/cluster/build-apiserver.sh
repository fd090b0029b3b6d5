#!/usr/bin/env bash
# Builds kube-apiserver (or another control-plane command the module pins: kube-controller-manager,
# kube-scheduler) for a pinned version from the committed module apiserver-<minor>/ and caches it
# as $CACHE/<command>-<version>; a cached binary is reused.
#   usage: build-apiserver.sh 1.28                            -> prints the binary's path
#          build-apiserver.sh 1.37 kube-controller-manager
set -euo pipefail
minor=${1:?usage: build-apiserver.sh MINOR [COMMAND]}
command=${2:-kube-apiserver}
here=$(cd "$(dirname "$0")" && pwd)
dir="$here/apiserver-$minor"
version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$dir/go.mod")
cache=${CDK8S_WEBSTACK_CACHE:-$HOME/.cache/cdk8s-webstack}
bin="$cache/$command-$version"
if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "Kubernetes $version" ]; then
  echo "$bin"
  exit 0
fi
mkdir -p "$cache"
major=$(echo "$version" | cut -d. -f1 | tr -d v)
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version"
ldflags+=" -X k8s.io/component-base/version.gitMajor=$major -X k8s.io/component-base/version.gitMinor=${minor#*.}"
ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
# Old releases pull go:linkname into runtime internals that newer linkers refuse by default.
[ "${minor#*.}" -lt 30 ] && ldflags+=" -checklinkname=0"
# shellcheck source=../_quietly.sh
. "$here/../_quietly.sh"
build() { cd "$dir" && CGO_ENABLED=0 go build -trimpath -mod=mod -o "$bin.tmp" -ldflags "$ldflags" "k8s.io/kubernetes/cmd/$command"; }
quietly "$command-$version" build
mv "$bin.tmp" "$bin"
echo "$bin"
