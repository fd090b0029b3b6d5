#!/usr/bin/env bash
# Builds Traefik from the committed module traefik/ and caches it as $CACHE/traefik-<version>;
# a cached binary is reused. Prints the binary's path.
#
# Two modules are built from patched copies (go build -overlay refuses files in the module
# cache), each patch a file of ours in traefik/_overlay/, nothing of Traefik's own:
#   - lego's registry of DNS-01 providers becomes _overlay/lego-dns-providers.go: the registry
#     imports the SDK of every DNS host, and the Go module proxy here refuses a dozen of them
#     (ucloud, akamai, alidns, oci, ...). The suite serves certificates from Secrets, no ACME.
#   - github.com/abbot/go-http-auth v0.4.0 (Traefik pins a fork the proxy refuses) gains the
#     two functions the fork adds (CheckSecret, RequireAuthStale): _overlay/go-http-auth-fork.go.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir="$here/traefik"
version=$(awk '$1 == "require" && $2 == "github.com/traefik/traefik/v3" {print $3}' "$dir/go.mod")
cache=${CDK8S_WEBSTACK_CACHE:-$HOME/.cache/cdk8s-webstack}
bin="$cache/traefik-$version"
if [ -x "$bin" ] && [[ "$("$bin" version 2>/dev/null)" =~ Version:\ *${version#v}($'\n') ]]; then
  echo "$bin"
  exit 0
fi
mkdir -p "$cache"
# shellcheck source=../_quietly.sh
. "$here/../_quietly.sh"
build() {
  cd "$dir"
  export GOFLAGS=-mod=mod
  go mod download github.com/go-acme/lego/v5 github.com/abbot/go-http-auth
  work=$(mktemp -d "$cache/traefik-build.XXXXXX")
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  cp -r go.mod go.sum tools.go ext "$work/"
  cp -r "$(go list -m -f '{{.Dir}}' github.com/go-acme/lego/v5)" "$work/lego"
  cp -r "$(go list -m -f '{{if .Replace}}{{.Replace.Dir}}{{else}}{{.Dir}}{{end}}' github.com/abbot/go-http-auth)" "$work/go-http-auth"
  chmod -R u+w "$work"
  cp _overlay/lego-dns-providers.go "$work/lego/providers/dns/zz_gen_dns_providers.go"
  cp _overlay/go-http-auth-fork.go "$work/go-http-auth/traefik_fork.go"
  # v0.4.0 predates modules; a replacement folder needs a go.mod.
  [ -f "$work/go-http-auth/go.mod" ] || printf 'module github.com/abbot/go-http-auth\n\ngo 1.12\n' > "$work/go-http-auth/go.mod"
  cd "$work"
  go mod edit -replace github.com/go-acme/lego/v5=./lego -replace github.com/abbot/go-http-auth=./go-http-auth
  CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" \
    -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=${version#v}" \
    github.com/traefik/traefik/v3/cmd/traefik
}
quietly "traefik-$version" build
mv "$bin.tmp" "$bin"
echo "$bin"
