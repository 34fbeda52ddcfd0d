#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The real data path, inside the VM lab (tests/vm/run-vm-test gre-esp-rip):
#
#   r1 lan0 192.168.1.1/24                          r2 lan0 172.16.1.1/24
#   r1 gre1 10.10.10.1/30  <==== GRE over ESP ====>  r2 gre1 10.10.10.2/30
#   r1 veth0 20.1.1.1/24   ------- veth pair ------  r2 veth0 20.1.1.2/24
#
# Two network namespaces, each with Debian's stock charon (IKEv1 PSK Main
# Mode des-sha1-modp768, ESP des-sha1 in transport mode protecting GRE, as
# the Cisco seed configures it) and Debian's FRR (zebra + ripd, RIPv2 over
# the GRE interface).  Checks: IKE and CHILD SA up, kernel SAs with
# cbc(des)/hmac(sha1) in transport mode for proto gre, RIP routes to the
# far LAN over gre1 in both RIBs, LAN-to-LAN ping, only ESP (no clear GRE)
# on the veth, SA counters rising.
#
# Logs, configs, the capture and a state dump go to $VM_RESULTS.
set -euo pipefail

routers=(r1 r2)
declare -A veth_ip=([r1]=20.1.1.1 [r2]=20.1.1.2)
declare -A tun_ip=([r1]=10.10.10.1 [r2]=10.10.10.2)
declare -A lan_net=([r1]=192.168.1.0/24 [r2]=172.16.1.0/24)
declare -A lan_ip=([r1]=192.168.1.1 [r2]=172.16.1.1)
declare -A peer=([r1]=r2 [r2]=r1)

# the Cisco seed's phase 1 proposal; modp1024 only if 768 cannot work
ike_proposal=des-sha1-modp768
ike_fallback=des-sha1-modp1024
esp_proposal=des-sha1
psk=vmlab-gre-esp-rip-psk

results=${VM_RESULTS:-/tmp/gre-esp-rip-results}
work=/tmp/gre-esp-rip       # sockets and configs: not on 9p
mkdir -p "$results" "$work"
tcpdump_pid=''

# ---------------------------------------------------------------- helpers

now_us() { echo "${EPOCHREALTIME/./}"; }

t0=$(now_us)
step_start='' step_name=''

elapsed() {     # seconds since $1 (microseconds), two decimals
	local us=$(( $(now_us) - $1 ))
	printf '%d.%02d' $(( us / 1000000 )) $(( us % 1000000 / 10000 ))
}

# Closes the running step with its duration, then announces the next one
# with the time since the test started.
step() {
	end_step
	printf '[%6ss] == %s\n' "$(elapsed "$t0")" "$*"
	step_start=$(now_us) step_name=$*
}

end_step() {
	[ -n "$step_start" ] || return 0
	printf '          -> %ss  %s\n' "$(elapsed "$step_start")" "$step_name" |
		tee -a "$results/step-times.txt"
	step_start=''
}

info() { printf '            %s\n' "$*"; }

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

# wait_for WHAT SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local what=$1 timeout=$2
	shift 2
	local deadline=$(( $(now_us) + timeout * 1000000 ))
	until "$@" >/dev/null 2>&1; do
		(( $(now_us) < deadline )) || fail "timed out after ${timeout}s waiting for $what"
		sleep 0.2
	done
}

# in_ns ROUTER COMMAND...: run in the router's network namespace
in_ns() {
	local r=$1
	shift
	ip netns exec "$r" "$@"
}

# spawn ROUTER NAME COMMAND...: start a daemon in the router's namespace
# with a private /run (charon writes /run/charon.pid unconditionally; two
# charons must not share it), output in $results/ROUTER/NAME.out.
# ip, unshare and sh all exec the next one, so $! is the daemon's pid
# (through a shell function, it would be a subshell's).
spawn() {
	local r=$1 name=$2
	shift 2
	ip netns exec "$r" unshare -m --propagation private \
		sh -c 'mount -t tmpfs -o mode=0755 run /run && exec "$@"' sh "$@" \
		</dev/null >"$results/$r/$name.out" 2>&1 &
	echo $! >"$work/$r/$name.pid"
}

vici_uri() { echo "unix://$work/$1/charon.vici"; }

swanctl_in() {
	local r=$1
	shift
	in_ns "$r" env STRONGSWAN_CONF="$work/$r/strongswan.conf" SWANCTL_DIR="$work/$r/swanctl" \
		swanctl "$@" --uri "$(vici_uri "$r")"
}

vtysh_in() {
	local r=$1 args=()
	shift
	for cmd in "$@"; do args+=(-c "$cmd"); done
	in_ns "$r" vtysh --vty_socket "$work/$r" --config_dir "$work/$r" "${args[@]}"
}

# Sum of the packet counters of all SAs in a router's namespace.
sa_packets() {
	ip -n "$1" -s xfrm state |
		sed -n 's/^[[:space:]]*[0-9]*(bytes), *\([0-9]*\)(packets).*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

mem_used_mib() {
	awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 }
		END { printf "%d\n", (t - a) / 1024 }' /proc/meminfo
}

# ------------------------------------------------------------ diagnostics

# State of one router, written on every exit (a failure's best evidence).
dump_router() {
	local r=$1
	{
		echo "### ip addr"; ip -n "$r" addr
		echo "### ip route"; ip -n "$r" route
		echo "### ip -s xfrm state"; ip -n "$r" -s xfrm state
		echo "### ip xfrm policy"; ip -n "$r" xfrm policy
		echo "### swanctl --list-sas"; swanctl_in "$r" --list-sas
		echo "### show ip rip"; vtysh_in "$r" "show ip rip"
		echo "### show ip route"; vtysh_in "$r" "show ip route"
	} >"$results/$r/state.txt" 2>&1
}

dump_state() {
	local r pids=()
	for r in "${routers[@]}"; do
		[ -d "$results/$r" ] || continue
		dump_router "$r" &
		pids+=($!)
	done
	for r in "${pids[@]}"; do
		wait "$r"
	done
}

# stop_pids PID...: SIGTERM all, SIGKILL what is left after 5 s.  Never a
# bare 'wait': a process ignoring SIGTERM would hang the test until the
# runner's timeout.
stop_pids() {
	local pid left i
	kill "$@" 2>/dev/null || true
	for (( i = 0; i < 50; i++ )); do
		left=()
		for pid in "$@"; do
			kill -0 "$pid" 2>/dev/null && left+=("$pid")
		done
		[ ${#left[@]} -gt 0 ] || break
		sleep 0.1
	done
	if [ ${#left[@]} -gt 0 ]; then
		info "SIGKILL for what ignored SIGTERM for 5 s: $(ps -o pid=,args= -p "${left[*]}" | tr '\n' ';')"
		kill -KILL "${left[@]}" 2>/dev/null || true
	fi
	for pid in "$@"; do
		wait "$pid" 2>/dev/null || true
	done
}

stop_daemons() {
	local pidfile pids=()
	[ -z "$tcpdump_pid" ] || pids+=("$tcpdump_pid")
	for pidfile in "$work"/*/*.pid; do
		[ -f "$pidfile" ] && pids+=("$(cat "$pidfile")")
	done
	[ ${#pids[@]} -eq 0 ] || stop_pids "${pids[@]}"
	rm -f "$work"/*/*.pid
}

on_exit() {
	local rc=$?
	set +e
	step "teardown: state dump to $results/r*/state.txt, stopping daemons"
	dump_state
	stop_daemons
	end_step
	if [ $rc -eq 0 ]; then
		printf '[%6ss] PASS\n' "$(elapsed "$t0")"
	else
		printf '[%6ss] FAILED (exit %d): logs and state in %s\n' "$(elapsed "$t0")" $rc "$results"
	fi
	exit $rc
}
trap on_exit EXIT

# ------------------------------------------------------------------ steps

# Beyond the obvious ones: the first ESP SA makes the kernel build
# echainiv(authenc(hmac(sha1),cbc(des))) and seed its default RNG (drbg:
# ctr, sha512, sha3, jitterentropy).  Left to request_module that is ~20
# modprobe runs, 6-10 s under TCG; one modprobe -a up front is ~1 s.
modules=(veth dummy ip_gre esp4 xfrm_user des_generic authenc
	echainiv ctr sha512_generic drbg sha3_generic jitterentropy_rng)

load_modules() {
	step "loading kernel modules: ${modules[*]}"
	modprobe -a "${modules[@]}"
}

make_network() {
	step "namespaces r1, r2: veth 20.1.1.0/24, GRE 10.10.10.0/30, LANs on dummy devices"
	local r
	for r in "${routers[@]}"; do
		ip netns add "$r"
		ip -n "$r" link set lo up
		mkdir -p "$work/$r" "$results/$r"
	done
	ip -n r1 link add veth0 type veth peer name veth0 netns r2
	for r in "${routers[@]}"; do
		ip -n "$r" addr add "${veth_ip[$r]}/24" dev veth0
		ip -n "$r" link set veth0 up
		ip -n "$r" link add gre1 type gre \
			local "${veth_ip[$r]}" remote "${veth_ip[${peer[$r]}]}" ttl 255
		ip -n "$r" addr add "${tun_ip[$r]}/30" dev gre1
		# Linux creates point-to-point GRE devices without IFF_MULTICAST;
		# ripd then neither joins 224.0.0.9 nor sends RIPv2 multicast on
		# them.  IOS tunnels do multicast, so make gre1 behave the same.
		ip -n "$r" link set gre1 multicast on
		ip -n "$r" link set gre1 up
		ip -n "$r" link add lan0 type dummy
		ip -n "$r" addr add "${lan_ip[$r]}/24" dev lan0
		ip -n "$r" link set lan0 up
	done
	in_ns r1 ping -q -c 1 -W 2 20.1.1.2 >/dev/null || fail "no ping across the veth"
	in_ns r1 ping -q -c 1 -W 2 10.10.10.2 >/dev/null || fail "no ping across GRE (clear)"
	info "ping over veth and over clear GRE: ok"
}

write_strongswan_conf() {
	local r=$1
	# An explicit plugin list: the stock Debian charon and nothing else that
	# may be installed on the host (e.g. this suite's own plugins).
	cat >"$work/$r/strongswan.conf" <<-EOF
		charon {
		    load_modular = no
		    load = random nonce openssl pem pkcs1 x509 pubkey hmac sha1 kernel-netlink socket-default vici
		    install_routes = no
		    plugins {
		        vici {
		            socket = $(vici_uri "$r")
		        }
		    }
		    filelog {
		        log {
		            path = $results/$r/charon.log
		            append = no
		            flush_line = yes
		            time_format = %H:%M:%S
		            ike_name = yes
		            default = 1
		            ike = 2
		            cfg = 1
		            knl = 2
		        }
		    }
		    syslog {
		    }
		}
		# swanctl's default plugin list pulls in ~90 libraries: cold over
		# 9p under TCG that makes its first run take 11-16 s instead of 0.3 s
		swanctl {
		    load = pem pkcs1 x509 pubkey openssl random
		}
	EOF
}

# IKEv1 Main Mode with PSK; ESP transport for GRE between the veth addresses
write_swanctl_conf() {
	local r=$1 proposal=$2 me=${veth_ip[$1]} them=${veth_ip[${peer[$1]}]} sub
	# --load-all also scans these for credentials: empty, but present
	for sub in x509 x509ca x509ocsp x509aa x509ac x509crl pubkey private rsa \
		ecdsa bliss pkcs8 pkcs12; do
		mkdir -p "$work/$r/swanctl/$sub"
	done
	cat >"$work/$r/swanctl/swanctl.conf" <<-EOF
		connections {
		    gre {
		        version = 1
		        aggressive = no
		        local_addrs = $me
		        remote_addrs = $them
		        proposals = $proposal
		        local {
		            auth = psk
		            id = $me
		        }
		        remote {
		            auth = psk
		            id = $them
		        }
		        children {
		            gre {
		                mode = transport
		                local_ts = dynamic[gre]
		                remote_ts = dynamic[gre]
		                esp_proposals = $esp_proposal
		            }
		        }
		    }
		}
		secrets {
		    ike-gre {
		        id-a = $me
		        id-b = $them
		        secret = "$psk"
		    }
		}
	EOF
	cp "$work/$r/swanctl/swanctl.conf" "$results/$r/swanctl.conf"
}

start_charons() {
	step "starting a charon per namespace"
	local r
	for r in "${routers[@]}"; do
		write_strongswan_conf "$r"
		cp "$work/$r/strongswan.conf" "$results/$r/strongswan.conf"
		spawn "$r" charon env STRONGSWAN_CONF="$work/$r/strongswan.conf" /usr/lib/ipsec/charon
	done
	for r in "${routers[@]}"; do
		wait_for "$r charon answering on vici" 30 swanctl_in "$r" --stats
	done
	info "charon $(swanctl_in r1 --version | sed -n 's/.*strongSwan swanctl //p') up in both"
}

# Called where set -e does not apply (if !): hence the explicit returns.
load_connections() {
	local proposal=$1 r
	for r in "${routers[@]}"; do
		write_swanctl_conf "$r" "$proposal" || return 1
		swanctl_in "$r" --load-all --file "$work/$r/swanctl/swanctl.conf" \
			>"$results/$r/swanctl-load-$proposal.txt" 2>&1 || return 1
	done
}

initiate() {
	swanctl_in r1 --initiate --child gre --timeout 30 >"$results/r1/initiate-$1.txt" 2>&1
}

# A charon without MODP-768 would refuse the proposal at load time already,
# one with it could still fail the exchange: both lead to the fallback.
establish() {
	load_connections "$1" && initiate "$1"
}

bring_up_ipsec() {
	step "IKEv1 Main Mode ($ike_proposal, PSK) + Quick Mode (ESP $esp_proposal, transport, GRE)"
	if ! establish "$ike_proposal"; then
		info "WARNING: $ike_proposal failed (see r*/swanctl-load-$ike_proposal.txt," \
			"r1/initiate-$ike_proposal.txt), falling back to $ike_fallback"
		ike_proposal=$ike_fallback
		establish "$ike_proposal" || fail "IKE with $ike_proposal failed too, see $results/r1/charon.log"
	fi
	local r sas
	for r in "${routers[@]}"; do
		sas=$(swanctl_in "$r" --list-sas)
		grep -q 'ESTABLISHED' <<<"$sas" || fail "$r: no established IKE SA"
		grep -q 'IKEv1' <<<"$sas" || fail "$r: the IKE SA is not IKEv1"
		grep -Eq 'DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_(768|1024)' <<<"$sas" ||
			fail "$r: IKE SA algorithms are not DES/SHA1/MODP"
		grep -q 'INSTALLED, TRANSPORT' <<<"$sas" || fail "$r: CHILD SA not installed in transport mode"
		grep -q 'ESP:DES_CBC/HMAC_SHA1_96' <<<"$sas" || fail "$r: CHILD SA is not ESP DES/SHA1"
	done
	echo "$ike_proposal" >"$results/ike-proposal"
	info "IKE SA ($ike_proposal) and CHILD SA installed on both routers"
}

# gre_policy ROUTER DIR SRC DST: the router's xfrm policy for GRE SRC -> DST
gre_policy() {
	ip -n "$1" xfrm policy list dir "$2" src "$3/32" dst "$4/32" proto gre
}

check_kernel_sas() {
	step "kernel SAs and policies: ESP cbc(des)+hmac(sha1), transport, proto gre"
	local r me them state out in
	for r in "${routers[@]}"; do
		me=${veth_ip[$r]} them=${veth_ip[${peer[$r]}]}
		state=$(ip -n "$r" xfrm state)
		[ "$(grep -c '^src' <<<"$state")" -eq 2 ] || fail "$r: expected 2 SAs (in, out):"$'\n'"$state"
		[ "$(grep -c 'proto esp .* mode transport' <<<"$state")" -eq 2 ] ||
			fail "$r: SAs are not ESP in transport mode"
		[ "$(grep -c 'enc cbc(des)' <<<"$state")" -eq 2 ] || fail "$r: SAs are not cbc(des)"
		[ "$(grep -c 'auth-trunc hmac(sha1) .* 96$' <<<"$state")" -eq 2 ] ||
			fail "$r: SAs are not hmac(sha1) truncated to 96 bits"
		grep -q "sel src $me/32 dst $them/32" <<<"$state" || fail "$r: no SA for $me -> $them"
		grep -q "sel src $them/32 dst $me/32" <<<"$state" || fail "$r: no SA for $them -> $me"
		# the proto gre selector is in the policies (charon gives the SAs'
		# own selectors addresses only); both must use ESP transport
		out=$(gre_policy "$r" out "$me" "$them")
		in=$(gre_policy "$r" in "$them" "$me")
		grep -q 'proto esp .*mode transport' <<<"$out" || fail "$r: no outbound GRE policy with ESP transport"
		grep -q 'proto esp .*mode transport' <<<"$in" || fail "$r: no inbound GRE policy with ESP transport"
	done
	info "r2 SA: $(grep -m1 'enc cbc(des)' <<<"$state" | sed 's/^[[:space:]]*//;s/ 0x[0-9a-f]*/ KEY/')," \
		"$(grep -m1 'auth-trunc' <<<"$state" | sed 's/^[[:space:]]*//;s/ 0x[0-9a-f]*/ KEY/')"
	info "r2 policy: $(head -n 1 <<<"$out" | sed 's/[[:space:]]*$//')" \
		"-> $(grep -m1 'proto esp' <<<"$out" | sed 's/^[[:space:]]*//')"
}

write_frr_confs() {
	local r=$1
	printf 'hostname %s\n!\n' "$r" >"$work/$r/zebra.conf"
	: >"$work/$r/vtysh.conf"
	# RIPv2 on the tunnel; the LAN is advertised, but no RIP is sent into it
	cat >"$work/$r/ripd.conf" <<-EOF
		hostname $r
		!
		debug rip events
		debug rip packet
		!
		router rip
		 version 2
		 network 10.10.10.0/30
		 network ${lan_net[$r]}
		 passive-interface lan0
		!
	EOF
	cp "$work/$r/ripd.conf" "$results/$r/ripd.conf"
}

# Debian's FRR refuses to run as root unless root is in the vty group;
# "-g frrvty" makes the daemon's group frrvty without touching /etc/group.
start_frr_daemon() {
	local r=$1 daemon=$2
	spawn "$r" "$daemon" "/usr/lib/frr/$daemon" \
		-u root -g frrvty -P 0 \
		--vty_socket "$work/$r" -z "$work/$r/zserv.api" \
		-i "$work/$r/$daemon.frrpid" -f "$work/$r/$daemon.conf" \
		--log "file:$results/$r/$daemon.log"
}

wait_frr_daemon() {
	local r=$1 daemon=$2
	wait_for "$r $daemon vty socket" 30 test -S "$work/$r/$daemon.vty"
	kill -0 "$(cat "$work/$r/$daemon.pid")" 2>/dev/null ||
		fail "$r $daemon died: $(tail -n 5 "$results/$r/$daemon.out")"
}

# Both routers' daemons start side by side (FRR's start-up, YANG loading
# included, is CPU-bound: the 2 vCPUs halve it); ripd only after zebra.
start_frr() {
	step "starting FRR zebra + ripd per namespace (RIPv2 over gre1)"
	local r daemon
	for r in "${routers[@]}"; do
		write_frr_confs "$r"
	done
	for daemon in zebra ripd; do
		for r in "${routers[@]}"; do
			start_frr_daemon "$r" "$daemon"
		done
		for r in "${routers[@]}"; do
			wait_frr_daemon "$r" "$daemon"
		done
	done
	info "$(vtysh_in r1 'show version' | head -n 1)"
}

has_rip_route() {
	local r=$1 net=$2 via=$3
	vtysh_in "$r" "show ip route rip" | grep -Eq "^R>\* ${net//./\\.} .* via ${via//./\\.}, gre1" &&
		ip -n "$r" route show "$net" | grep -q "via $via dev gre1 proto rip"
}

wait_rip_routes() {
	step "waiting for RIP to learn the far LAN over the tunnel"
	local r
	for r in "${routers[@]}"; do
		wait_for "$r: RIP route to ${lan_net[${peer[$r]}]}" 90 \
			has_rip_route "$r" "${lan_net[${peer[$r]}]}" "${tun_ip[${peer[$r]}]}"
		info "$r: $(vtysh_in "$r" 'show ip route rip' | grep '^R>\*')"
	done
}

start_capture() {
	ip netns exec r1 tcpdump -i veth0 -n -U -Z root -w "$work/veth0.pcap" \
		>"$results/tcpdump.out" 2>&1 &
	tcpdump_pid=$!
	wait_for "tcpdump listening" 20 grep -q 'listening on' "$results/tcpdump.out"
}

# SIGTERM, not SIGINT: background jobs of a script start with SIGINT
# ignored, and tcpdump keeps it that way.  -U already wrote every packet.
stop_capture() {
	stop_pids "$tcpdump_pid"
	tcpdump_pid=''
	cp "$work/veth0.pcap" "$results/veth0.pcap"
}

count_packets() {
	tcpdump -n -r "$work/veth0.pcap" "$1" 2>/dev/null | wc -l
}

# tcpdump lags behind under TCG: what is still in its socket buffer when it
# is stopped is lost, so wait until it has written the ping's packets.
capture_has() {
	(( $(count_packets "$1") >= $2 ))
}

ping_and_capture() {
	step "LAN-to-LAN ping through GRE+ESP, capturing on r1 veth0"
	local before_r1 before_r2 after_r1 after_r2
	before_r1=$(sa_packets r1)
	before_r2=$(sa_packets r2)
	start_capture
	in_ns r1 ping -c 5 -i 0.2 -W 2 -I "${lan_ip[r1]}" "${lan_ip[r2]}" >"$results/ping.txt" 2>&1 ||
		fail "ping ${lan_ip[r1]} -> ${lan_ip[r2]} failed: $(tail -n 3 "$results/ping.txt")"
	in_ns r2 ping -q -c 2 -i 0.2 -W 2 -I "${lan_ip[r2]}" "${lan_ip[r1]}" >>"$results/ping.txt" 2>&1 ||
		fail "ping ${lan_ip[r2]} -> ${lan_ip[r1]} failed"
	wait_for "14 ESP packets in the capture" 15 capture_has esp 14
	stop_capture
	info "$(grep 'packets transmitted' "$results/ping.txt" | head -n 1)"
	after_r1=$(sa_packets r1)
	after_r2=$(sa_packets r2)
	info "SA packet counters: r1 $before_r1 -> $after_r1, r2 $before_r2 -> $after_r2"
	(( after_r1 >= before_r1 + 14 )) || fail "r1 SA counters rose by less than 14 (7 pings, both ways)"
	(( after_r2 >= before_r2 + 14 )) || fail "r2 SA counters rose by less than 14 (7 pings, both ways)"

	step "capture: only ESP on the wire"
	local esp gre icmp
	esp=$(count_packets esp)
	gre=$(count_packets 'ip proto 47')
	icmp=$(count_packets icmp)
	info "veth0: $esp ESP, $gre clear GRE, $icmp clear ICMP packets ($results/veth0.pcap)"
	(( esp >= 14 )) || fail "expected at least 14 ESP packets on veth0, got $esp"
	(( gre == 0 )) || fail "$gre GRE packets went out in the clear"
	(( icmp == 0 )) || fail "$icmp ICMP packets went out in the clear"
}

record_memory() {
	local used
	used=$(mem_used_mib)
	echo "$used" >"$results/mem-used-peak-mib"
	info "guest memory used with 2 charons, 2 zebras, 2 ripds: $used MiB"
}

main() {
	info "gre-esp-rip on kernel $(uname -r)"
	load_modules
	make_network
	start_charons
	bring_up_ipsec
	check_kernel_sas
	start_frr
	wait_rip_routes
	ping_and_capture
	record_memory
}

main
