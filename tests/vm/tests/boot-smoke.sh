#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# VM lab smoke test: the guest booted Debian's kernel on the host's root,
# the root is writable (overlay), modprobe finds the kernel's modules and
# the results share takes files.  Also the quickest way to time a boot.
set -euo pipefail

check() {
	printf 'boot-smoke: %s\n' "$1"
	shift
	"$@"
}

check "kernel $(uname -r)" test -d "/lib/modules/$(uname -r)/kernel"
check "root is writable" touch /etc/vmlab-overlay-test
check "modprobe ip_gre esp4 (GRE and ESP exist here)" modprobe -a ip_gre esp4
check "results share is writable" cp /proc/modules "$VM_RESULTS/modules.txt"
