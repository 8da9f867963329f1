#!/usr/bin/env bash
# Datapath bench for Netportal's rendered firewall configuration: real Linux forwarding, routing and nftables.
#
# Topology, built in network namespaces of its own:
#
#   [ma] 10.1.0.10/24 fd00:a::10/64 --- <tenant if> [fw1] <shared if> ---+
#                                                                     [shared: bridge br0] --- [svc] 10.9.0.10/24
#   [mb] 10.2.0.10/24 fd00:b::10/64 --- <tenant if> [fw2] <shared if> ---+                          fd00:9::10/64
#
#   ma, mb   tenant A's and tenant B's machine; default routes via their firewall's tenant-side addresses
#   fw1, fw2 the firewalls: interfaces named and addressed as the netconf files say (as the renderer names them,
#            n<vrf>), forwarding on (IPv4 and IPv6), each VRF a routing table (a real VRF device where the kernel
#            has them, else an `ip rule iif <if> lookup <vrf>` per family), ending in `unreachable default` for
#            both families; nftables as rendered
#   shared   the shared network segment: a bridge holding the service and both firewalls' shared legs
#   svc      the shared service, with the routes the shared network's router would learn from the firewalls
#
# Machines and the service listen on TCP 7000, IPv4 and IPv6, and answer with the address they see the client as.
# IPv6 addresses are added without duplicate address detection (nodad), so they are usable at once.
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
#   link tenant|shared <ifname> <vrf> <address/len>...   a firewall's leg with its addresses, at most one per
#                                                         family (a cabled leg left out of a later phase stays
#                                                         cabled but loses its addresses and table)
#   route <table> <ip route arguments>                   a route, of the family of its destination; firewalls:
#                                                         table = VRF, service: table = main
# LIST: comma-separated probes <from>-to-<to>[-v6], each of a, b, service, over IPv4, or IPv6 with -v6
# (e.g. a-to-service,b-to-a,a-to-service-v6).
#
# Output: one line per probe, in the order asked:
#   PROBE <phase> <probe> OK source=<the client address the destination saw (IPv6 in its short form)>
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
declare -A HOST_ADDR6=([a]=fd00:a::10/64 [b]=fd00:b::10/64 [service]=fd00:9::10/64)

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
  # no duplicate address detection on the interfaces to come (their link-local addresses): usable at once
  ip netns exec "$node" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
for node in fw1 fw2; do
  # rp_filter would check sources in the main table, which a firewall's VRF routes are not in
  ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
    net.ipv6.conf.all.forwarding=1
done
# no multicast snooping: neighbour discovery on the segment never depends on which MLD reports the bridge saw
ip -n shared link add br0 type bridge stp_state 0 mcast_snooping 0
ip -n shared link set br0 up

# The lines of a netconf text, without comments.
netconf_lines() {
  sed 's/#.*//' <<<"$1"
}

# Whether an address or prefix is IPv6.
ipv6() {
  [[ $1 == *:* ]]
}

# ip addr add's options for an address: IPv6 without duplicate address detection.
addr_options() {
  if ipv6 "$1"; then echo nodad; fi
}

# Cabling, from the first phase's link lines: a tenant leg to the firewall's machine, a shared leg to the bridge.
declare -A CABLED=()
cable() {
  local firewall=$1 machine=$2 netconf=$3 kind segment ifname vrf addresses address gateway="" gateway6="" host
  while read -r kind segment ifname vrf addresses; do
    [[ $kind == link ]] || continue
    case $segment in
      tenant)
        ip link add name "$ifname" netns "$firewall" type veth peer name eth0 netns "$machine"
        for address in $addresses; do
          if ipv6 "$address"; then gateway6=${address%/*}; else gateway=${address%/*}; fi
        done ;;
      shared)
        ip link add name "$ifname" netns "$firewall" type veth peer name "$firewall" netns shared
        ip -n shared link set "$firewall" master br0 up ;;
      *) die "$firewall: unknown segment $segment" ;;
    esac
    ip -n "$firewall" link set "$ifname" up
    ip netns exec "$firewall" sysctl -qw "net.ipv4.conf.$ifname.rp_filter=0"
    CABLED[$firewall]+=" $ifname"
  done < <(netconf_lines "$netconf")
  [[ -n $gateway ]] || die "$firewall: no tenant link with an IPv4 address"
  for host in a b; do
    [[ ${HOST_NS[$host]} == "$machine" ]] || continue
    ip -n "$machine" addr add "${HOST_ADDR[$host]}" dev eth0
    ip -n "$machine" addr add "${HOST_ADDR6[$host]}" dev eth0 nodad
    ip -n "$machine" link set eth0 up
    ip -n "$machine" route add default via "$gateway"
    if [[ -n $gateway6 ]]; then ip -n "$machine" -6 route add default via "$gateway6"; fi
  done
}
cable fw1 ma "${PHASE_ARG[1,fw1.net]}"
cable fw2 mb "${PHASE_ARG[1,fw2.net]}"
ip link add name eth0 netns svc type veth peer name svc netns shared
ip -n shared link set svc master br0 up
ip -n svc addr add "${HOST_ADDR[service]}" dev eth0
ip -n svc addr add "${HOST_ADDR6[service]}" dev eth0 nodad
ip -n svc link set eth0 up

# Replaces a firewall's addresses, VRFs, routes and ruleset with those of a phase.
declare -A TABLES=()
configure_firewall() {
  local firewall=$1 ruleset=$2 netconf=$3 ifname table kind segment vrf addresses address rest family
  for ifname in ${CABLED[$firewall]}; do
    # the addresses the netconf gave (the kernel's link-local ones stay)
    ip -n "$firewall" addr flush dev "$ifname" scope global
    if [[ $VRF_MODE == real ]]; then ip -n "$firewall" link set "$ifname" nomaster; fi
  done
  if [[ $VRF_MODE == emulate ]]; then
    for family in -4 -6; do
      while ip -n "$firewall" "$family" rule del pref "$RULE_PREF" 2>/dev/null; do :; done
    done
  fi
  for table in ${TABLES[$firewall]:-}; do
    for family in -4 -6; do ip -n "$firewall" "$family" route flush table "$table"; done
  done
  TABLES[$firewall]=""

  while read -r kind segment ifname vrf addresses; do
    [[ $kind == link ]] || continue
    [[ " ${CABLED[$firewall]} " == *" $ifname "* ]] || die "$firewall: $ifname was not cabled in the first phase"
    if [[ $VRF_MODE == real ]]; then
      ip -n "$firewall" link show "vrf-$vrf" >/dev/null 2>&1 || ip -n "$firewall" link add "vrf-$vrf" type vrf table "$vrf"
      ip -n "$firewall" link set "vrf-$vrf" up
      ip -n "$firewall" link set "$ifname" master "vrf-$vrf"
    else
      for family in -4 -6; do ip -n "$firewall" "$family" rule add pref "$RULE_PREF" iif "$ifname" lookup "$vrf"; done
    fi
    for address in $addresses; do
      # no automatic connected route: the netconf says which table each prefix goes in
      # shellcheck disable=SC2046 # no option or one word
      ip -n "$firewall" addr add "$address" dev "$ifname" noprefixroute $(addr_options "$address")
    done
    TABLES[$firewall]+=" $vrf"
  done < <(netconf_lines "$netconf")

  while read -r kind table rest; do
    [[ $kind == route ]] || continue
    # shellcheck disable=SC2086 # the rest of the line is ip route's arguments
    ip -n "$firewall" route replace $rest table "$table" proto static
    [[ " ${TABLES[$firewall]} " == *" $table "* ]] || TABLES[$firewall]+=" $table"
  done < <(netconf_lines "$netconf")

  for table in ${TABLES[$firewall]}; do
    for family in -4 -6; do
      ip -n "$firewall" "$family" route replace unreachable default metric "$LAST_METRIC" table "$table"
    done
  done
  printf '%s\n' "$ruleset" >"$WORK/$firewall.nft"
  ip netns exec "$firewall" nft -f "$WORK/$firewall.nft"
}

configure_service() {
  local netconf=$1 kind table rest family
  for family in -4 -6; do ip -n svc "$family" route flush proto static; done
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
  ip netns exec "${HOST_NS[$host]}" socat -T1 "TCP4-LISTEN:$PORT,fork,reuseaddr" "EXEC:$WORK/report-peer" &
  LISTENERS+=($!)
  ip netns exec "${HOST_NS[$host]}" socat -T1 "TCP6-LISTEN:$PORT,fork,reuseaddr,ipv6only=1" "EXEC:$WORK/report-peer" &
  LISTENERS+=($!)
done
listening() {
  (($(ip netns exec "${HOST_NS[$1]}" ss -Hltn "sport = :$PORT" | wc -l) == 2))
}
for host in a b service; do
  for _ in $(seq 50); do
    listening "$host" && break
    sleep 0.05
  done
  listening "$host" || die "the listeners on $host did not start"
done

# ---------------------------------------------------------------- phases

probe() {
  local from=$1 to=$2 family=$3 out=$4 target
  if [[ $family == 6 ]]; then
    target="TCP6:[${HOST_ADDR6[$to]%/*}]:$PORT"
  else
    target="TCP:${HOST_ADDR[$to]%/*}:$PORT"
  fi
  ip netns exec "${HOST_NS[$from]}" timeout 3 \
    socat -T1 -u "$target,connect-timeout=1" STDOUT >"$out" 2>/dev/null || true
}

# An IPv6 address as socat reports it ([fd00:000a:0000:...:0010]) in its short form (fd00:a::10, RFC 5952).
short_ipv6() {
  local text=${1#[} groups=() left=() right=() i run=0 best=0 at=-1 out=""
  text=${text%]}
  if [[ $text == *::* ]]; then
    IFS=: read -r -a left <<<"${text%%::*}"
    IFS=: read -r -a right <<<"${text#*::}"
    groups=("${left[@]}")
    for ((i = ${#left[@]} + ${#right[@]}; i < 8; i++)); do groups+=(0); done
    groups+=("${right[@]}")
  else
    IFS=: read -r -a groups <<<"$text"
  fi
  ((${#groups[@]} == 8)) || { echo "$text"; return; }
  for ((i = 0; i < 8; i++)); do
    [[ ${groups[i]} =~ ^[0-9a-fA-F]{1,4}$ ]] || { echo "$text"; return; }
    printf -v "groups[i]" %x "$((16#${groups[i]}))"
    if [[ ${groups[i]} == 0 ]]; then
      ((++run > best)) && { best=$run; at=$((i - run + 1)); }
    else
      run=0
    fi
  done
  ((best >= 2)) || at=-1
  for ((i = 0; i < 8; i++)); do
    if ((i == at)); then
      out+="::"
    elif ((at < 0 || i < at || i >= at + best)); then
      [[ -z $out || $out == *:: ]] || out+=":"
      out+=${groups[i]}
    fi
  done
  echo "$out"
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
    path=${probes[i]%-v6}
    family=4
    [[ $path == "${probes[i]}" ]] || family=6
    from=${path%%-to-*}
    to=${path#*-to-}
    [[ -n ${HOST_NS[$from]:-} && -n ${HOST_NS[$to]:-} && $path == *-to-* ]] || die "unknown probe ${probes[i]}"
    probe "$from" "$to" "$family" "$WORK/probe-$phase-$i" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  for ((i = 0; i < ${#probes[@]}; i++)); do
    seen=$(tr -d '[:space:]' <"$WORK/probe-$phase-$i")
    if [[ $seen =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
      echo "PROBE $name ${probes[i]} OK source=$seen"
    elif [[ $seen =~ ^\[?[0-9a-fA-F:]*:[0-9a-fA-F:]*\]?$ ]]; then
      echo "PROBE $name ${probes[i]} OK source=$(short_ipv6 "$seen")"
    else
      echo "PROBE $name ${probes[i]} BLOCKED"
    fi
  done
done
