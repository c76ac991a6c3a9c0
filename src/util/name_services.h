// The statically linked node binaries (STACKS_RUNNER_STATIC, `make dist`) and glibc's Name
// Service Switch. A static glibc still dlopens the NSS modules that /etc/nsswitch.conf names
// (libnss_myhostname, _resolve, _systemd, _sss, _mdns4_minimal...), and those are built for the
// host's own glibc: loaded into a binary that carries another glibc they abort it (a glibc 2.36
// static binary on Debian 11, glibc 2.31: "_dl_call_libc_early_init: Assertion `sym != NULL'
// failed", see tests/dist) or worse. Since glibc 2.34 "files" and "dns" are built into the
// static libc itself, so pinning every database to those two means no module is ever loaded.
#ifndef STACKS_RUNNER_UTIL_NAME_SERVICES_H_
#define STACKS_RUNNER_UTIL_NAME_SERVICES_H_

namespace sr::util {

// In the static build: host names from /etc/hosts, then DNS (/etc/resolv.conf); users, groups,
// services and the rest from their files in /etc, whatever nsswitch.conf says. Call first in
// main(), before any thread starts. Does nothing in other builds (the system's NSS is theirs).
void PinNameServicesToBuiltins();

}  // namespace sr::util

#endif  // STACKS_RUNNER_UTIL_NAME_SERVICES_H_
