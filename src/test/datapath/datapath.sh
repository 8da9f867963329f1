#!/usr/bin/env bash
# Datapath bench for Netportal's rendered firewall configuration: real Linux forwarding, routing and nftables.
#
# Topology, built in network namespaces of its own:
#
#   [ma] 10.1.0.10/24 --- <tenant if> [fw1] <shared if> ---+
#                                                          [shared: bridge br0] --- [svc] 10.9.0.10/24
#   [mb] 10.2.0.10/24 --- <tenant if> [fw2] <shared if> ---+
#
#   ma, mb   tenant A's and tenant B's machine; default route via their firewall's tenant-side address
#   fw1, fw2 the firewalls: interfaces named and addressed as the netconf files say (as the renderer names them,
#            n<vrf>), forwarding on, each VRF a routing table (a real VRF device where the kernel has them, else
#            an `ip rule iif <if> lookup <vrf>`), ending in `unreachable default`; nftables as rendered
#   shared   the shared network segment: a bridge holding the service and both firewalls' shared legs
#   svc      the shared service, with the routes the shared network's router would learn from the firewalls
#
# Machines and the service listen on TCP 7000 and answer with the address they see the client as.
# Everything runs inside a private mount, network and PID namespace (the script re-executes itself under
# unshare, with a private tmpfs on /run for /run/netns), so it never touches the host's interfaces, routes,
# nftables or namespaces, and whatever it starts dies with it (also when killed: unshare --kill-child).
#
# Usage:
#   datapath.sh --check
#       prints READY, or MISSING: <what> and exits 77
#   datapath.sh --phase NAME [--fw1 NFT NETCONF] [--fw2 NFT NETCONF] [--service NETCONF] --probes LIST ...
#       runs the phases in order. The first phase must give fw1 and fw2 (their link lines decide the cabling);
#       a later phase replaces the configuration of what it names and keeps the rest. Conntrack is flushed
#       between phases, so that no phase inherits another's connections.
#
# NETCONF lines (blank lines and # comments ignored):
#   link tenant|shared <ifname> <vrf> <address/len>   a firewall's leg (a cabled leg left out of a later phase
#                                                      stays cabled but loses its address and table)
#   route <table> <ip route arguments>                a route; firewalls: table = VRF, service: table = main
# LIST: comma-separated probes <from>-to-<to>, each of a, b, service (e.g. a-to-service,b-to-a).
#
# Output: one line per probe, in the order asked:
#   PROBE <phase> <probe> OK source=<the client address the destination saw>
#   PROBE <phase> <probe> BLOCKED
# Exit: 0 when the bench ran (the probe outcomes are the caller's to judge), 77 when this machine cannot run it,
# anything else when setup failed. DATAPATH_VRF=emulate|real forces the VRF flavour (default: real if available).
set -eEuo pipefail

PATH=$PATH:/usr/sbin:/sbin
SELF=$(readlink -f "$0")
readonly PORT=7000
# Below the kernel's l3mdev rule (1000) and the main table (32766); only used where VRFs are emulated.
readonly RULE_PREF=500
# The kernel's own metric for a VRF's closing unreachable route: below anything a routing daemon installs.
readonly LAST_METRIC=4278198272

declare -A HOST_NS=([a]=ma [b]=mb [service]=svc)
declare -A HOST_ADDR=([a]=10.1.0.10/24 [b]=10.2.0.10/24 [service]=10.9.0.10/24)

die() {
  echo "datapath: $*" >&2
  exit 2
}

missing_requirements() {
  local missing=() tool
  [[ $(id -u) == 0 ]] || missing+=("root")
  for tool in unshare ip nft socat timeout ss; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]} == 0)) && ! unshare --mount --net --pid --fork --mount-proc true >/dev/null 2>&1; then
    missing+=("permission to create mount, network and PID namespaces (unshare failed)")
  fi
  echo "${missing[*]}"
}

# ---------------------------------------------------------------- outside: check, then re-execute isolated

if [[ ${1:-} != --inside ]]; then
  missing=$(missing_requirements)
  if [[ -n $missing ]]; then
    echo "MISSING: $missing"
    exit 77
  fi
  if [[ ${1:-} == --check ]]; then
    echo READY
    exit 0
  fi
  exec unshare --mount --net --pid --fork --kill-child --mount-proc -- bash "$SELF" --inside "$@"
fi
shift

# ---------------------------------------------------------------- arguments

# The inputs are read now, before /run is covered by a private tmpfs, so that any path works.
PHASES=()
declare -A PHASE_ARG=()
read_input() {
  [[ -f $2 ]] || die "$1: no such file: $2"
  PHASE_ARG[${#PHASES[@]},$1]=$(<"$2")
}
while (($#)); do
  case $1 in
    --phase) (($# >= 2)) || die "--phase needs a name"; PHASES+=("$2"); shift 2 ;;
    --fw1 | --fw2)
      (($# >= 3)) || die "$1 needs an nftables file and a netconf file"
      ((${#PHASES[@]})) || die "$1 before the first --phase"
      read_input "${1#--}.nft" "$2"
      read_input "${1#--}.net" "$3"
      shift 3 ;;
    --service)
      (($# >= 2)) || die "--service needs a netconf file"
      ((${#PHASES[@]})) || die "$1 before the first --phase"
      read_input service.net "$2"
      shift 2 ;;
    --probes)
      (($# >= 2)) || die "--probes needs a list"
      ((${#PHASES[@]})) || die "$1 before the first --phase"
      PHASE_ARG[${#PHASES[@]},probes]=$2
      shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
((${#PHASES[@]})) || die "no --phase given"
[[ -v PHASE_ARG[1,fw1.nft] && -v PHASE_ARG[1,fw2.nft] ]] || die "the first phase must give --fw1 and --fw2"

# ---------------------------------------------------------------- setup and teardown

NODES=(ma fw1 shared svc fw2 mb)
LISTENERS=()

teardown() {
  local pid node
  for pid in "${LISTENERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for node in "${NODES[@]}"; do ip netns del "$node" 2>/dev/null || true; done
}
trap teardown EXIT
trap 'echo "datapath: setup failed at line $LINENO: $BASH_COMMAND" >&2' ERR

# A private /run (mounts here are not propagated to the host): `ip netns add` pins namespaces in /run/netns, and
# the work files live next to it, so neither outlives this mount namespace, even if the script is killed.
mount -t tmpfs netportal-datapath /run
mkdir /run/netns /run/work
WORK=/run/work

VRF_MODE=${DATAPATH_VRF:-auto}
if [[ $VRF_MODE == auto ]]; then
  if ip link add netportal-probe type vrf table 4242 >/dev/null 2>&1; then
    ip link del netportal-probe
    VRF_MODE=real
  else
    VRF_MODE=emulate
  fi
fi
[[ $VRF_MODE == real || $VRF_MODE == emulate ]] || die "DATAPATH_VRF must be auto, real or emulate, not $VRF_MODE"
echo "INFO vrf=$VRF_MODE"

for node in "${NODES[@]}"; do
  ip netns add "$node"
  ip -n "$node" link set lo up
done
for node in fw1 fw2; do
  # rp_filter would check sources in the main table, which a firewall's VRF routes are not in
  ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
done
ip -n shared link add br0 type bridge stp_state 0
ip -n shared link set br0 up

# The lines of a netconf text, without comments.
netconf_lines() {
  sed 's/#.*//' <<<"$1"
}

# Cabling, from the first phase's link lines: a tenant leg to the firewall's machine, a shared leg to the bridge.
declare -A CABLED=()
cable() {
  local firewall=$1 machine=$2 netconf=$3 kind segment ifname vrf address gateway="" host
  while read -r kind segment ifname vrf address; do
    [[ $kind == link ]] || continue
    case $segment in
      tenant)
        ip link add name "$ifname" netns "$firewall" type veth peer name eth0 netns "$machine"
        gateway=${address%/*} ;;
      shared)
        ip link add name "$ifname" netns "$firewall" type veth peer name "$firewall" netns shared
        ip -n shared link set "$firewall" master br0 up ;;
      *) die "$firewall: unknown segment $segment" ;;
    esac
    ip -n "$firewall" link set "$ifname" up
    ip netns exec "$firewall" sysctl -qw "net.ipv4.conf.$ifname.rp_filter=0"
    CABLED[$firewall]+=" $ifname"
  done < <(netconf_lines "$netconf")
  [[ -n $gateway ]] || die "$firewall: no tenant link"
  for host in a b; do
    [[ ${HOST_NS[$host]} == "$machine" ]] || continue
    ip -n "$machine" addr add "${HOST_ADDR[$host]}" dev eth0
    ip -n "$machine" link set eth0 up
    ip -n "$machine" route add default via "$gateway"
  done
}
cable fw1 ma "${PHASE_ARG[1,fw1.net]}"
cable fw2 mb "${PHASE_ARG[1,fw2.net]}"
ip link add name eth0 netns svc type veth peer name svc netns shared
ip -n shared link set svc master br0 up
ip -n svc addr add "${HOST_ADDR[service]}" dev eth0
ip -n svc link set eth0 up

# Replaces a firewall's addresses, VRFs, routes and ruleset with those of a phase.
declare -A TABLES=()
configure_firewall() {
  local firewall=$1 ruleset=$2 netconf=$3 ifname table kind segment vrf address rest
  for ifname in ${CABLED[$firewall]}; do
    ip -n "$firewall" addr flush dev "$ifname"
    if [[ $VRF_MODE == real ]]; then ip -n "$firewall" link set "$ifname" nomaster; fi
  done
  if [[ $VRF_MODE == emulate ]]; then
    while ip -n "$firewall" rule del pref "$RULE_PREF" 2>/dev/null; do :; done
  fi
  for table in ${TABLES[$firewall]:-}; do ip -n "$firewall" route flush table "$table"; done
  TABLES[$firewall]=""

  while read -r kind segment ifname vrf address; do
    [[ $kind == link ]] || continue
    [[ " ${CABLED[$firewall]} " == *" $ifname "* ]] || die "$firewall: $ifname was not cabled in the first phase"
    if [[ $VRF_MODE == real ]]; then
      ip -n "$firewall" link show "vrf-$vrf" >/dev/null 2>&1 || ip -n "$firewall" link add "vrf-$vrf" type vrf table "$vrf"
      ip -n "$firewall" link set "vrf-$vrf" up
      ip -n "$firewall" link set "$ifname" master "vrf-$vrf"
    else
      ip -n "$firewall" rule add pref "$RULE_PREF" iif "$ifname" lookup "$vrf"
    fi
    # no automatic connected route: the netconf says which table each prefix goes in
    ip -n "$firewall" addr add "$address" dev "$ifname" noprefixroute
    TABLES[$firewall]+=" $vrf"
  done < <(netconf_lines "$netconf")

  while read -r kind table rest; do
    [[ $kind == route ]] || continue
    # shellcheck disable=SC2086 # the rest of the line is ip route's arguments
    ip -n "$firewall" route replace $rest table "$table" proto static
    [[ " ${TABLES[$firewall]} " == *" $table "* ]] || TABLES[$firewall]+=" $table"
  done < <(netconf_lines "$netconf")

  for table in ${TABLES[$firewall]}; do
    ip -n "$firewall" route replace unreachable default metric "$LAST_METRIC" table "$table"
  done
  printf '%s\n' "$ruleset" >"$WORK/$firewall.nft"
  ip netns exec "$firewall" nft -f "$WORK/$firewall.nft"
}

configure_service() {
  local netconf=$1 kind table rest
  ip -n svc route flush proto static
  while read -r kind table rest; do
    [[ $kind == route ]] || continue
    # shellcheck disable=SC2086 # the rest of the line is ip route's arguments
    ip -n svc route replace $rest table "$table" proto static
  done < <(netconf_lines "$netconf")
}

# Every host answers each connection with the peer address it sees, then closes.
printf '#!/bin/sh\necho "$SOCAT_PEERADDR"\n' >"$WORK/report-peer"
chmod +x "$WORK/report-peer"
for host in a b service; do
  ip netns exec "${HOST_NS[$host]}" socat -T1 "TCP-LISTEN:$PORT,fork,reuseaddr" "EXEC:$WORK/report-peer" &
  LISTENERS+=($!)
done
for host in a b service; do
  for _ in $(seq 50); do
    [[ -n $(ip netns exec "${HOST_NS[$host]}" ss -Hltn "sport = :$PORT") ]] && break
    sleep 0.05
  done
  [[ -n $(ip netns exec "${HOST_NS[$host]}" ss -Hltn "sport = :$PORT") ]] || die "the listener on $host did not start"
done

# ---------------------------------------------------------------- phases

probe() {
  local from=$1 to=$2 out=$3
  ip netns exec "${HOST_NS[$from]}" timeout 3 \
    socat -T1 -u "TCP:${HOST_ADDR[$to]%/*}:$PORT,connect-timeout=1" STDOUT >"$out" 2>/dev/null || true
}

for ((phase = 1; phase <= ${#PHASES[@]}; phase++)); do
  name=${PHASES[phase - 1]}
  for firewall in fw1 fw2; do
    if [[ -v PHASE_ARG[$phase,$firewall.nft] ]]; then
      configure_firewall "$firewall" "${PHASE_ARG[$phase,$firewall.nft]}" "${PHASE_ARG[$phase,$firewall.net]}"
    fi
  done
  if [[ -v PHASE_ARG[$phase,service.net] ]]; then
    configure_service "${PHASE_ARG[$phase,service.net]}"
  fi
  if command -v conntrack >/dev/null 2>&1; then
    for firewall in fw1 fw2; do ip netns exec "$firewall" conntrack -F >/dev/null 2>&1 || true; done
  fi

  # all probes of a phase at once: a blocked one costs its timeout, not the sum of them
  IFS=, read -r -a probes <<<"${PHASE_ARG[$phase,probes]:-}"
  pids=()
  for ((i = 0; i < ${#probes[@]}; i++)); do
    from=${probes[i]%%-to-*}
    to=${probes[i]#*-to-}
    [[ -n ${HOST_NS[$from]:-} && -n ${HOST_NS[$to]:-} && ${probes[i]} == *-to-* ]] || die "unknown probe ${probes[i]}"
    probe "$from" "$to" "$WORK/probe-$phase-$i" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  for ((i = 0; i < ${#probes[@]}; i++)); do
    seen=$(tr -d '[:space:]' <"$WORK/probe-$phase-$i")
    if [[ $seen =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
      echo "PROBE $name ${probes[i]} OK source=$seen"
    else
      echo "PROBE $name ${probes[i]} BLOCKED"
    fi
  done
done
