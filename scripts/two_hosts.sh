#!/usr/bin/env bash
# Two hosts on one machine: two network namespaces joined by a veth pair, one MPI rank in each,
# and the MPI checks (tests/mpi: the collectives and data-parallel SGD against one process)
# run across them.
#
#   sudo scripts/two_hosts.sh            # builds the checks (cargo test --features mpi --no-run)
#   sudo scripts/two_hosts.sh BINARY     # runs BINARY instead (a tests/mpi binary already built)
#
# Needs root (ip netns), iproute2 and MPICH. hydra (MPICH's mpiexec) reaches each "host"
# through a launcher script (no sshd): it runs the command inside that host's namespace with
# `ip netns exec`. The ranks talk over TCP on the veth pair only (UCX_TLS=tcp: separate hosts
# share no memory; without it UCX finds the one kernel's shared memory and only a few kB cross
# the veth), and the veth's byte counters must show the traffic. The namespaces and the
# pair are removed on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
    echo "two_hosts.sh: needs root (ip netns); run it with sudo" >&2
    exit 2
fi

# Names unique to this run, so that two runs (or a stale one) do not collide.
ns_a="mt$$a"
ns_b="mt$$b"
addr_a=10.231.0.1
addr_b=10.231.0.2
work="$(mktemp -d)"

cleanup() {
    ip netns del "$ns_a" 2>/dev/null || true
    ip netns del "$ns_b" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [ "$#" -gt 0 ]; then
    binary="$(realpath "$1")"
else
    # The path of the tests/mpi binary, from cargo's "Executable" line.
    binary="$(cargo test --features mpi --test mpi --no-run 2>&1 |
        sed -n 's/.*Executable tests\/mpi\/main.rs (\(.*\))$/\1/p' | tail -n 1)"
    [ -n "$binary" ] || { echo "two_hosts.sh: cannot build the MPI checks" >&2; exit 1; }
    binary="$(realpath "$binary")"
fi

echo "== two hosts: namespaces $ns_a ($addr_a) and $ns_b ($addr_b), one veth pair"
ip netns add "$ns_a"
ip netns add "$ns_b"
ip link add "${ns_a}0" type veth peer name "${ns_b}0"
ip link set "${ns_a}0" netns "$ns_a"
ip link set "${ns_b}0" netns "$ns_b"
# The same interface name on both hosts, so one UCX_NET_DEVICES names it everywhere.
ip -n "$ns_a" link set "${ns_a}0" name eth0
ip -n "$ns_b" link set "${ns_b}0" name eth0
ip -n "$ns_a" addr add "$addr_a/24" dev eth0
ip -n "$ns_b" addr add "$addr_b/24" dev eth0
for ns in "$ns_a" "$ns_b"; do
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
done

# hydra's launcher: `launcher HOST COMMAND...` runs COMMAND on HOST, i.e. in its namespace.
cat >"$work/launcher" <<LAUNCHER
#!/bin/sh
host="\$1"; shift
case "\$host" in
    $addr_a) ns=$ns_a ;;
    $addr_b) ns=$ns_b ;;
    *) echo "launcher: unknown host \$host" >&2; exit 1 ;;
esac
echo "launcher: host \$host is namespace \$ns" >&2
exec ip netns exec "\$ns" sh -c "\$*"
LAUNCHER
chmod +x "$work/launcher"

tx_bytes() { ip netns exec "$1" cat /sys/class/net/eth0/statistics/tx_bytes; }
before_a="$(tx_bytes "$ns_a")"
before_b="$(tx_bytes "$ns_b")"

echo "== mpiexec -hosts $addr_a,$addr_b -n 2 (from $ns_a)"
# -localhost: the address the remote proxy calls back on (the machine's hostname does not
# resolve inside the namespaces).
ip netns exec "$ns_a" env MINITRAINER_MPI_RANKS=2 UCX_TLS=tcp UCX_NET_DEVICES=eth0 \
    timeout 600 mpiexec -launcher rsh -launcher-exec "$work/launcher" \
    -localhost "$addr_a" -hosts "$addr_a,$addr_b" -ppn 1 -n 2 "$binary"

sent_a=$(($(tx_bytes "$ns_a") - before_a))
sent_b=$(($(tx_bytes "$ns_b") - before_b))
echo "== bytes over the veth pair: $ns_a sent $sent_a, $ns_b sent $sent_b"
# The checks move megabytes between the ranks (a 300 000-value all-reduce, gradients each step).
if [ "$sent_a" -lt 1000000 ] || [ "$sent_b" -lt 1000000 ]; then
    echo "two_hosts.sh: too little traffic crossed the veth pair: the ranks did not talk over it" >&2
    exit 1
fi
echo "two hosts: ok"
