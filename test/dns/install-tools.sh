#!/usr/bin/env bash
# Installs what the DNS checks need, reused when already there:
#   BIND (named, named-checkzone) and dig from Debian's bind9 packages, installed with a
#     policy-rc.d that refuses to start the system service (the checks start their own named
#     on a loopback port);
#   cfn-lint from PyPI, pinned, in a virtualenv under $CACHE.
# Prints KEY=path lines for the runner.
set -euo pipefail
cache=${CDK8S_WEBSTACK_CACHE:-$HOME/.cache/cdk8s-webstack}
CFN_LINT_VERSION=1.58.0
log() { echo "install-dns-tools: $*" >&2; }

if ! command -v named >/dev/null || ! command -v named-checkzone >/dev/null || ! command -v dig >/dev/null; then
  log "bind9: apt-get install (no service is started)"
  policy=/usr/sbin/policy-rc.d
  created=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created=1
  fi
  trap '[ -n "$created" ] && rm -f "$policy"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq bind9 bind9-utils bind9-dnsutils >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq bind9 bind9-utils bind9-dnsutils >/dev/null; }
fi

venv="$cache/cfn-lint-$CFN_LINT_VERSION"
if [ ! -x "$venv/bin/cfn-lint" ]; then
  log "cfn-lint $CFN_LINT_VERSION: pip install into $venv"
  rm -rf "$venv" && python3 -m venv "$venv"
  "$venv/bin/pip" install -q "cfn-lint==$CFN_LINT_VERSION" >&2
fi

echo "NAMED=$(command -v named)"
echo "NAMED_CHECKZONE=$(command -v named-checkzone)"
echo "DIG=$(command -v dig)"
echo "CFN_LINT=$venv/bin/cfn-lint"
