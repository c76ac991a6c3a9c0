// Where the trusted CA certificates are. The binary is linked statically, so OpenSSL's built-in
// default directory (Debian's) means nothing on Amazon Linux: the bundle is looked up here and
// its path handed to the client (ClientOptions::ca_bundle_file).
#ifndef STACKS_RUNNER_HTTP_CA_BUNDLE_H_
#define STACKS_RUNNER_HTTP_CA_BUNDLE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sr::http {

// The usual PEM bundles, in the order they are tried: Debian/Ubuntu, Amazon Linux/RHEL/Fedora
// (two), openSUSE, macOS.
const std::vector<std::string>& DefaultCaBundlePaths();

// AWS_CA_BUNDLE from `environment` when set and not empty (an error if it cannot be read: it
// is never silently skipped), else the first readable file of `candidates`. With no bundle found
// returns nothing and sets `error` to a message listing every place looked at.
std::optional<std::string> FindCaBundle(const std::map<std::string, std::string>& environment,
                                        const std::vector<std::string>& candidates,
                                        std::string* error);

}  // namespace sr::http

#endif  // STACKS_RUNNER_HTTP_CA_BUNDLE_H_
