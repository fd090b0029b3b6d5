#!/usr/bin/env bash
# Runs a command in a network namespace of its own, with its own loopback device up and the
# pod range 198.18.0.0/15 (RFC 2544, for test networks) made local to that loopback, as
# 127.0.0.0/8 is: the kwok pods' addresses can be bound and reached there. Pod addresses cannot
# be loopback ones: the API server refuses 127.0.0.0/8 in EndpointSlices. Nothing inside reaches
# the machine's network, and the namespace goes away with the command. It runs in a PID
# namespace of its own too: when the command ends, however it ends (a SIGKILL of the suite
# included), the kernel ends every process it left behind.
#   usage: netns.sh COMMAND [ARG...]
set -euo pipefail
if [ "${WEBSTACK_E2E_NETNS:-}" != 1 ]; then
  export WEBSTACK_E2E_NETNS=1
  exec unshare --net --pid --fork --kill-child -- "$0" "$@"
fi
ip link set lo up
ip route add local 198.18.0.0/15 dev lo
exec "$@"
