#include "util/name_services.h"

#if defined(STACKS_RUNNER_STATIC) && defined(__GLIBC__)
#include <nss.h>
#endif

namespace sr::util {

void PinNameServicesToBuiltins() {
#if defined(STACKS_RUNNER_STATIC) && defined(__GLIBC__)
  // Every database of glibc's nss/databases.def; an unknown name is ignored (returns -1).
  static constexpr const char* kFilesOnly[] = {
      "aliases", "ethers",    "group",     "gshadow", "initgroups", "netgroup", "networks",
      "passwd",  "protocols", "publickey", "rpc",     "services",   "shadow"};
  for (const char* database : kFilesOnly) ::__nss_configure_lookup(database, "files");
  ::__nss_configure_lookup("hosts", "files dns");
#endif
}

}  // namespace sr::util
