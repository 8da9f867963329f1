#!/usr/bin/env bash
# Datapath bench for Netportal's firewalls: real Linux forwarding, VRFs, nftables and FRR, in network namespaces.
#
# Topology, built in network namespaces of its own:
#
#                                  [shared: bridge] --- [svc] 10.9.0.10/24 fd00:9::10/64
#                                   |    |    |
#   [ma] 10.1.0.10/24 --- [fw1] ----+    |   [leaf] 10.9.0.1/24 fd00:9::1/64, AS 65100 (FRR)
#        fd00:a::10/64      |            |
#   [mb] 10.2.0.10/24 --- [fw2] ---------+
#        fd00:b::10/64      |    |
#                          [outside: bridge] --- [exit] 203.0.113.1/24 2001:db8:e::1/64, AS 65200 (FRR)
#                                                   |
#                                                [inet] 198.51.100.10/24 2001:db8:100::10/64
#
#   ma, mb   tenant A's and tenant B's machine; default routes via their firewall's tenant-side addresses
#   fw1, fw2 the firewalls: each network a VRF device (vrf-<id>, table <id>) holding the interface the renderer
#            names (n<id>), with the firewall's addresses there; zebra, bgpd and staticd run in the firewall's
#            namespace and get their configuration only from the agent (frr-reload.py); nftables too
#   shared   the shared network's segment (a bridge): the service, the leaf, the firewalls' shared legs
#   outside  an external network's segment (the internet's): the exit router and the firewalls' external legs.
#            Both bridges let router advertisements through from their router only, so that each firewall's
#            BGP unnumbered session finds the router, as it would on its own leaf port; a firewall's leg there
#            has the fixed link-local address fe80::<last number of its IPv4 address>, which the router names.
#   leaf     the shared network's router and the firewalls' BGP peer: announces a more specific prefix inside the
#            shared network (10.9.0.128/25, fd00:9:0:0:8000::/65), which no firewall may take, and passes on
#            what each firewall announces
#   svc      the shared service, default routes via the leaf
#   exit     the internet's router: peers with the firewalls, announces the internet host's prefixes
#
# Each VRF table ends in `unreachable default` (both families). Machines, the service and the internet host listen
# on TCP 7000, IPv4 and IPv6, and answer with the address they see the client as. IPv6 addresses are added
# without duplicate address detection (nodad), so they are usable at once.
#
# The kernel must have VRF devices (CONFIG_NET_VRF). Where this machine's has none, the bench runs in a small
# virtual machine (QEMU, no KVM needed) with Debian's kernel, on this machine's root file system read-only with a
# writable layer in memory, so the same programs run; .ci/install-datapath-guest prepares it.
#
# Usage:
#   datapath.sh --check
#       prints READY <where>, or MISSING: <what> and exits 77
#   datapath.sh --run WORK -- COMMAND...
#       runs COMMAND (the bench's driver) in private mount, network and PID namespaces, with a kernel that has
#       VRF devices (this one, or the guest's), WORK writable at the same path; COMMAND's output and exit code are
#       this command's. COMMAND calls the subcommands below, as `bash $DATAPATH_SCRIPT ...`.
#   setup LINKS             builds the bench; LINKS lines: link <fw1|fw2> <tenant|shared|external> <ifname> <vrf>
#                           <address/len>... (a tenant leg's addresses are its machine's gateways)
#                           An agent on fw1 applies with `ip netns exec fw1 nft` and /run/work/frr-reload-fw1 (FRR's
#                           frr-reload.py, pointed at fw1's FRR); likewise fw2.
#   vtysh NODE ARGS...      vtysh against the node's FRR (fw1, fw2, leaf, exit)
#   probe PHASE LIST        conntrack flushed, then probes, all at once; LIST: comma-separated <from>-to-<to>[-v6],
#                           each of a, b, service, internet; prints per probe, in order:
#                             PROBE <phase> <probe> OK source=<the client address the destination saw>
#                             PROBE <phase> <probe> BLOCKED
#   routes NODE -4|-6       the kernel's routes of all tables on a node, of a family, as ip -j prints them
set -eEuo pipefail

PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
SELF=$(readlink -f "$0")
GUEST=${NETPORTAL_DATAPATH_GUEST:-/opt/netportal-tools/datapath-guest}
readonly PORT=7000
# The kernel's own metric for a VRF's closing unreachable route: below anything a routing daemon installs.
readonly LAST_METRIC=4278198272
readonly FRR_DAEMONS=(zebra bgpd staticd)

declare -A HOST_NS=([a]=ma [b]=mb [service]=svc [internet]=inet)
declare -A HOST_ADDR=([a]=10.1.0.10/24 [b]=10.2.0.10/24 [service]=10.9.0.10/24 [internet]=198.51.100.10/24)
declare -A HOST_ADDR6=([a]=fd00:a::10/64 [b]=fd00:b::10/64 [service]=fd00:9::10/64 [internet]=2001:db8:100::10/64)

die() {
  echo "datapath: $*" >&2
  exit 2
}

# ---------------------------------------------------------------- where the bench can run

kernel_has_vrf() {
  unshare --net bash -c 'ip link add netportal-probe type vrf table 4242' >/dev/null 2>&1
}

# What the bench needs besides a kernel with VRF devices.
missing_programs() {
  local missing=() tool
  [[ $(id -u) == 0 ]] || missing+=("root")
  for tool in unshare ip nft socat timeout ss conntrack vtysh; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  for tool in zebra bgpd staticd frr-reload.py; do
    [[ -x /usr/lib/frr/$tool ]] || missing+=("/usr/lib/frr/$tool")
  done
  if ((${#missing[@]} == 0)) && ! unshare --mount --net --pid --fork --mount-proc true >/dev/null 2>&1; then
    missing+=("permission to create mount, network and PID namespaces (unshare failed)")
  fi
  echo "${missing[*]}"
}

# Where the bench runs: "kernel" (this one has VRF devices), "guest", or empty (neither).
where() {
  if kernel_has_vrf; then
    echo kernel
  elif command -v qemu-system-x86_64 >/dev/null 2>&1 && [[ -f $GUEST/ready && -f $GUEST/vmlinuz && -f $GUEST/initrd.gz ]]; then
    echo guest
  fi
}

if [[ ${1:-} == --check ]]; then
  missing=$(missing_programs)
  place=$(where)
  [[ -n $place ]] || missing+="${missing:+ }VRF devices (this kernel has none, and no guest is prepared: run .ci/install-datapath-guest with qemu-system-x86 installed)"
  if [[ -n $missing ]]; then
    echo "MISSING: $missing"
    exit 77
  fi
  echo "READY $place"
  exit 0
fi

# ---------------------------------------------------------------- running the driver isolated

# Inside private namespaces (or the guest): a private /run for /run/netns and the bench's files, then the driver.
inside() {
  local work=$1
  shift
  mount -t tmpfs netportal-datapath /run || die "cannot mount a private /run"
  mkdir -p /run/netns /run/work || die "cannot make /run/netns"
  ip link set lo up || die "cannot set lo up"
  export DATAPATH_SCRIPT=$SELF DATAPATH_WORK=$work
  "$@"
}

if [[ ${1:-} == --run ]]; then
  (($# >= 4)) && [[ $3 == -- ]] || die "usage: --run WORK -- COMMAND..."
  work=$(readlink -f "$2")
  [[ $work != *[[:space:]]* ]] || die "the work directory's path must not contain spaces (it goes on a kernel command line): $work"
  shift 3
  case $(where) in
    kernel)
      exec unshare --mount --net --pid --uts --fork --kill-child --mount-proc -- bash "$SELF" --inside "$work" "$@" ;;
    guest)
      rm -f "$work/guest.out" "$work/guest.err" "$work/guest.rc"
      printf '%s\0' "$@" >"$work/guest.command"
      # TCG (no KVM: nested virtualisation is not dependable), both cores, the host's root read-only and WORK
      # writable, both over virtio-9p; the console goes to guest.console
      qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m 2048 -smp "$(nproc)" -nographic -no-reboot -nic none \
        -kernel "$GUEST/vmlinuz" -initrd "$GUEST/initrd.gz" \
        -append "console=ttyS0 quiet panic=-1 guestinit=$SELF guestwork=$work guestdir=$GUEST" \
        -fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
        -device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
        -fsdev local,id=work,path="$work",security_model=none,multidevs=remap \
        -device virtio-9p-pci,fsdev=work,mount_tag=work >"$work/guest.console" 2>&1 </dev/null \
        || die "the guest failed to run: $(tail -5 "$work/guest.console")"
      [[ -f $work/guest.rc ]] || die "the guest stopped without running the driver: $(tail -20 "$work/guest.console")"
      cat "$work/guest.out"
      cat "$work/guest.err" >&2
      exit "$(cat "$work/guest.rc")" ;;
    *) die "this machine can run the bench neither here nor in a guest (datapath.sh --check says why)" ;;
  esac
fi

if [[ ${1:-} == --inside ]]; then
  shift
  work=$1
  shift
  inside "$work" "$@"
  exit
fi

if [[ ${1:-} == --guest ]]; then
  # The guest's init: its own /proc, /sys and /run, the work directory from the host, the kernel's modules
  # loadable (busybox's modprobe, from the prepared directory), then the driver; its output and exit code go to
  # the work directory, and the guest powers off.
  mount -t proc proc /proc
  mount -t sysfs sys /sys
  # what udev would have made: /dev/fd (process substitution) and the standard streams
  ln -sfn /proc/self/fd /dev/fd
  ln -sfn /proc/self/fd/0 /dev/stdin
  ln -sfn /proc/self/fd/1 /dev/stdout
  ln -sfn /proc/self/fd/2 /dev/stderr
  mkdir -p /dev/shm /dev/pts
  mount -t tmpfs shm /dev/shm
  mount -t devpts devpts /dev/pts
  cmdline=$(</proc/cmdline)
  work=$(sed -n 's/.* guestwork=\([^ ]*\).*/\1/p' <<<"$cmdline")
  guest=$(sed -n 's/.* guestdir=\([^ ]*\).*/\1/p' <<<"$cmdline")
  mkdir -p "$work"
  mount -t 9p -o trans=virtio,version=9p2000.L,cache=none,msize=262144 work "$work"
  version=$(uname -r)
  mkdir -p "/lib/modules/$version"
  mount --bind "$guest/modules/$version" "/lib/modules/$version"
  printf '#!/bin/sh\nexec %s modprobe "$@"\n' "$guest/busybox" >/usr/local/sbin/modprobe
  chmod 755 /usr/local/sbin/modprobe
  echo /usr/local/sbin/modprobe >/proc/sys/kernel/modprobe
  hostname datapath-guest
  mapfile -d '' command <"$work/guest.command"
  rc=0
  inside "$work" "${command[@]}" >"$work/guest.out" 2>"$work/guest.err" || rc=$?
  echo "$rc" >"$work/guest.rc"
  sync
  echo o >/proc/sysrq-trigger
  sleep 10
  exit 0
fi

# ---------------------------------------------------------------- subcommands (from the driver, inside)

SUBCOMMAND=${1:-}
[[ -n ${DATAPATH_WORK:-} && -d /run/work ]] || die "${SUBCOMMAND:-no subcommand}: run the bench with --run"
WORK=/run/work
trap 'echo "datapath: $SUBCOMMAND failed at line $LINENO: $BASH_COMMAND" >&2' ERR

# The lines of a text, without comments.
config_lines() {
  sed 's/#.*//' "$1"
}

ipv6() {
  [[ $1 == *:* ]]
}

# FRR's directory on a node: vty sockets, pid files, logs.
frr_dir() {
  echo "$WORK/frr-$1"
}

vtysh_on() {
  local node=$1
  shift
  vtysh --vty_socket "$(frr_dir "$node")" "$@"
}

# Starts zebra, bgpd and staticd in a node's namespace (and a UTS namespace of their own), empty.
start_frr() {
  local node=$1 dir daemon
  dir=$(frr_dir "$node")
  mkdir -p "$dir"
  chown frr:frr "$dir"
  for daemon in "${FRR_DAEMONS[@]}"; do
    ip netns exec "$node" unshare --uts bash -c "hostname $node; exec /usr/lib/frr/$daemon -d -u frr -g frr -P 0 \
      --vty_socket $dir -z $dir/zserv.api -i $dir/$daemon.pid -f /dev/null --log file:$dir/$daemon.log"
  done
}

# Waits until every daemon of a node answers (vtysh alone would be content with any of them).
wait_frr() {
  local node=$1 dir daemon ready
  dir=$(frr_dir "$node")
  for _ in $(seq 150); do
    ready=1
    for daemon in "${FRR_DAEMONS[@]}"; do [[ -S $dir/$daemon.vty ]] || ready=0; done
    if ((ready)) && vtysh_on "$node" -c 'show version' >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  die "FRR did not start on $node: $(tail -5 "$(frr_dir "$node")"/*.log)"
}

listening() {
  (($(ip netns exec "${HOST_NS[$1]}" ss -Hltn "sport = :$PORT" | wc -l) == 2))
}

setup() {
  local links=$1 node kind firewall segment ifname vrf addresses address host last pid
  [[ -f $links ]] || die "setup: no such file: $links"
  for node in ma mb svc inet fw1 fw2 shared outside leaf exit; do
    ip netns add "$node"
    ip -n "$node" link set lo up
    # no duplicate address detection on the interfaces to come (their link-local addresses): usable at once
    ip netns exec "$node" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  done
  # FRR starts while the rest is built (zebra follows interfaces and VRF devices as they come)
  local starting=()
  for node in fw1 fw2 leaf exit; do
    start_frr "$node" &
    starting+=($!)
  done
  for node in fw1 fw2 leaf exit; do
    # rp_filter would check sources in the main table, which a firewall's VRF routes are not in
    ip netns exec "$node" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
      net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.forwarding=1
  done
  # the segments: no multicast snooping (neighbour discovery never depends on what MLD a bridge saw), and
  # router advertisements from the segment's router only
  for node in shared outside; do
    ip -n "$node" link add br0 type bridge stp_state 0 mcast_snooping 0
    ip -n "$node" link set br0 up
  done
  ra_only_from shared leaf
  ra_only_from outside exit

  declare -A gateways=() gateways6=()
  local shared_lls=() external_lls=() segment_ns
  while read -r kind firewall segment ifname vrf addresses; do
    [[ $kind == link ]] || continue
    [[ $firewall == fw1 || $firewall == fw2 ]] || die "setup: unknown firewall $firewall"
    ip -n "$firewall" link show "vrf-$vrf" >/dev/null 2>&1 || {
      ip -n "$firewall" link add "vrf-$vrf" type vrf table "$vrf"
      ip -n "$firewall" link set "vrf-$vrf" up
      for family in -4 -6; do
        ip -n "$firewall" "$family" route replace unreachable default metric "$LAST_METRIC" table "$vrf"
      done
    }
    case $segment in
      tenant)
        [[ $firewall == fw1 ]] && node=ma || node=mb
        ip link add name "$ifname" netns "$firewall" type veth peer name eth0 netns "$node" ;;
      shared | external)
        [[ $segment == shared ]] && segment_ns=shared || segment_ns=outside
        ip link add name "$ifname" netns "$firewall" type veth peer name "$firewall" netns "$segment_ns"
        ip -n "$segment_ns" link set "$firewall" master br0 up ;;
      *) die "setup: unknown segment $segment" ;;
    esac
    # (joining a VRF drops an interface's IPv6 addresses: the addresses come after)
    ip -n "$firewall" link set "$ifname" master "vrf-$vrf"
    if [[ $segment != tenant ]]; then
      # a fixed link-local address, so that the segment's router can name its neighbours
      last=${addresses%%/*}
      last=${last##*.}
      ip -n "$firewall" link set "$ifname" addrgenmode none
      ip -n "$firewall" addr add "fe80::$last/64" dev "$ifname" nodad
      if [[ $segment == shared ]]; then shared_lls+=("fe80::$last"); else external_lls+=("fe80::$last"); fi
    fi
    ip -n "$firewall" link set "$ifname" up
    ip netns exec "$firewall" sysctl -qw "net.ipv4.conf.$ifname.rp_filter=0"
    for address in $addresses; do
      if ipv6 "$address"; then
        ip -n "$firewall" addr add "$address" dev "$ifname" nodad
        [[ $segment != tenant ]] || gateways6[$firewall]=${address%/*}
      else
        ip -n "$firewall" addr add "$address" dev "$ifname"
        [[ $segment != tenant ]] || gateways[$firewall]=${address%/*}
      fi
    done
  done < <(config_lines "$links")

  for host in a b; do
    node=${HOST_NS[$host]}
    [[ $host == a ]] && firewall=fw1 || firewall=fw2
    [[ -n ${gateways[$firewall]:-} ]] || die "setup: $firewall has no tenant link with an IPv4 address"
    ip -n "$node" addr add "${HOST_ADDR[$host]}" dev eth0
    ip -n "$node" addr add "${HOST_ADDR6[$host]}" dev eth0 nodad
    ip -n "$node" link set eth0 up
    ip -n "$node" route add default via "${gateways[$firewall]}"
    if [[ -n ${gateways6[$firewall]:-} ]]; then ip -n "$node" -6 route add default via "${gateways6[$firewall]}"; fi
  done

  # the routers and the service on their segments, the internet host behind the exit router
  ip link add name eth0 netns leaf type veth peer name leaf netns shared
  ip link add name eth0 netns svc type veth peer name svc netns shared
  ip link add name eth0 netns exit type veth peer name exit netns outside
  for node in leaf svc; do ip -n shared link set "$node" master br0 up; done
  ip -n outside link set exit master br0 up
  # the service takes no address from the leaf's router advertisements (FRR's carry the segment's prefix)
  ip netns exec svc sysctl -qw net.ipv6.conf.eth0.autoconf=0 net.ipv6.conf.eth0.accept_ra=0
  router_leg leaf 10.9.0.1/24 fd00:9::1/64
  router_leg exit 203.0.113.1/24 2001:db8:e::1/64
  ip -n svc addr add "${HOST_ADDR[service]}" dev eth0
  ip -n svc addr add "${HOST_ADDR6[service]}" dev eth0 nodad
  ip -n svc link set eth0 up
  ip -n svc route add default via 10.9.0.1
  ip -n svc -6 route add default via fd00:9::1
  ip link add name eth1 netns exit type veth peer name eth0 netns inet
  ip -n exit addr add 198.51.100.1/24 dev eth1
  ip -n exit addr add 2001:db8:100::1/64 dev eth1 nodad
  ip -n exit link set eth1 up
  ip -n inet addr add "${HOST_ADDR[internet]}" dev eth0
  ip -n inet addr add "${HOST_ADDR6[internet]}" dev eth0 nodad
  ip -n inet link set eth0 up
  ip -n inet route add default via 198.51.100.1
  ip -n inet -6 route add default via 2001:db8:100::1

  for pid in "${starting[@]}"; do wait "$pid" || die "FRR did not start"; done
  for node in fw1 fw2 leaf exit; do wait_frr "$node"; done
  router_config leaf 65100 10.9.0.1 "${shared_lls[@]}" >"$WORK/leaf.conf"
  vtysh_on leaf -f "$WORK/leaf.conf" >/dev/null
  router_config exit 65200 198.51.100.1 "${external_lls[@]}" >"$WORK/exit.conf"
  vtysh_on exit -f "$WORK/exit.conf" >/dev/null
  for node in fw1 fw2; do
    printf '#!/bin/sh\nexec ip netns exec %s /usr/lib/frr/frr-reload.py --bindir /usr/bin --confdir %s --rundir %s --vty_socket %s "$@"\n' \
      "$node" "$(frr_dir "$node")" "$(frr_dir "$node")" "$(frr_dir "$node")" >"$WORK/frr-reload-$node"
    chmod 755 "$WORK/frr-reload-$node"
  done

  # every host answers each connection with the peer address it sees, then closes
  printf '#!/bin/sh\necho "$SOCAT_PEERADDR"\n' >"$WORK/report-peer"
  chmod +x "$WORK/report-peer"
  for host in a b service internet; do
    setsid ip netns exec "${HOST_NS[$host]}" socat -T1 "TCP4-LISTEN:$PORT,fork,reuseaddr" "EXEC:$WORK/report-peer" \
      </dev/null >/dev/null 2>&1 &
    setsid ip netns exec "${HOST_NS[$host]}" socat -T1 "TCP6-LISTEN:$PORT,fork,reuseaddr,ipv6only=1" \
      "EXEC:$WORK/report-peer" </dev/null >/dev/null 2>&1 &
  done
  for host in a b service internet; do
    for _ in $(seq 100); do
      listening "$host" && break
      sleep 0.05
    done
    listening "$host" || die "the listeners on $host did not start"
  done
}

# A segment's bridge forwards router advertisements from its router's port only.
ra_only_from() {
  ip netns exec "$1" nft -f - <<EOF
table bridge bench {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname != "$2" icmpv6 type nd-router-advert drop
	}
}
EOF
}

# A router's leg on its segment: fe80::1 and the addresses given.
router_leg() {
  local node=$1 address
  shift
  ip -n "$node" link set eth0 addrgenmode none
  ip -n "$node" addr add fe80::1/64 dev eth0 nodad
  for address in "$@"; do
    if ipv6 "$address"; then
      ip -n "$node" addr add "$address" dev eth0 nodad
    else
      ip -n "$node" addr add "$address" dev eth0
    fi
  done
  ip -n "$node" link set eth0 up
}

# A router (the leaf, the exit router): router advertisements on its segment (the firewalls' unnumbered sessions
# find it by them), a numbered session with each firewall's link-local address there, everything passed on. The
# leaf announces a more specific prefix inside the shared network, which no firewall may take; the exit router
# the internet host's prefixes (its connected ones).
router_config() {
  local name=$1 asn=$2 id=$3 ll redistribute=connected
  shift 3
  printf 'frr defaults datacenter\nhostname %s\nip forwarding\nipv6 forwarding\n' "$name"
  if [[ $name == leaf ]]; then
    redistribute=static
    printf 'ip route 10.9.0.128/25 blackhole\nipv6 route fd00:9:0:0:8000::/65 blackhole\n'
  fi
  printf 'interface eth0\n ipv6 nd ra-interval 1\n no ipv6 nd suppress-ra\nexit\n'
  printf 'router bgp %s\n bgp router-id %s\n no bgp ebgp-requires-policy\n' "$asn" "$id"
  printf ' neighbor firewalls peer-group\n neighbor firewalls remote-as external\n'
  printf ' neighbor firewalls capability extended-nexthop\n neighbor firewalls timers 3 9\n'
  for ll in "$@"; do
    printf ' neighbor %s peer-group firewalls\n neighbor %s interface eth0\n' "$ll" "$ll"
  done
  printf ' address-family ipv4 unicast\n  redistribute %s\n exit-address-family\n' "$redistribute"
  printf ' address-family ipv6 unicast\n  redistribute %s\n  neighbor firewalls activate\n exit-address-family\nexit\n' \
    "$redistribute"
}

# ---------------------------------------------------------------- probes

probe() {
  local from=$1 to=$2 family=$3 out=$4 target
  if [[ $family == 6 ]]; then
    target="TCP6:[${HOST_ADDR6[$to]%/*}]:$PORT"
  else
    target="TCP:${HOST_ADDR[$to]%/*}:$PORT"
  fi
  # 2 s to connect: a server forking its answer under emulation with many probes at once can be slow, and one
  # lost SYN must not read as blocked
  ip netns exec "${HOST_NS[$from]}" timeout 5 \
    socat -T2 -u "$target,connect-timeout=2" STDOUT >"$out" 2>/dev/null || true
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

probes() {
  local name=$1 list=$2 probes=() pids=() i path family from to seen firewall
  # no phase inherits another's connections
  for firewall in fw1 fw2; do ip netns exec "$firewall" conntrack -F >/dev/null 2>&1 || true; done
  # all at once: a blocked probe costs its timeout, not the sum of them
  IFS=, read -r -a probes <<<"$list"
  for ((i = 0; i < ${#probes[@]}; i++)); do
    path=${probes[i]%-v6}
    family=4
    [[ $path == "${probes[i]}" ]] || family=6
    from=${path%%-to-*}
    to=${path#*-to-}
    [[ -n ${HOST_NS[$from]:-} && -n ${HOST_NS[$to]:-} && $path == *-to-* ]] || die "unknown probe ${probes[i]}"
    probe "$from" "$to" "$family" "$WORK/probe-$name-$i" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  for ((i = 0; i < ${#probes[@]}; i++)); do
    seen=$(tr -d '[:space:]' <"$WORK/probe-$name-$i")
    if [[ $seen =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
      echo "PROBE $name ${probes[i]} OK source=$seen"
    elif [[ $seen =~ ^\[?[0-9a-fA-F:]*:[0-9a-fA-F:]*\]?$ ]]; then
      echo "PROBE $name ${probes[i]} OK source=$(short_ipv6 "$seen")"
    else
      echo "PROBE $name ${probes[i]} BLOCKED"
    fi
  done
}

case $SUBCOMMAND in
  setup) (($# == 2)) || die "usage: setup LINKS"; setup "$2" ;;
  vtysh) (($# >= 3)) || die "usage: vtysh NODE ARGS..."; node=$2; shift 2; vtysh_on "$node" "$@" ;;
  probe) (($# == 3)) || die "usage: probe PHASE LIST"; probes "$2" "$3" ;;
  routes)
    (($# == 3)) && [[ $3 == -4 || $3 == -6 ]] || die "usage: routes NODE -4|-6"
    ip -n "$2" -j "$3" route show table all ;;
  *) die "unknown subcommand: $SUBCOMMAND" ;;
esac
