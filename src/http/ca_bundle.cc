#include "http/ca_bundle.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace sr::http {
namespace {

// Empty when `path` is a regular file that can be opened for reading, else why not.
std::string Unreadable(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return ec.message();
  if (std::filesystem::is_directory(status)) return "is a directory";
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::strerror(errno);
  return "";
}

}  // namespace

const std::vector<std::string>& DefaultCaBundlePaths() {
  static const std::vector<std::string> paths = {
      "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu
      "/etc/pki/tls/certs/ca-bundle.crt",                   // Amazon Linux, RHEL, Fedora
      "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // Amazon Linux, RHEL, Fedora
      "/etc/ssl/ca-bundle.pem",                             // openSUSE
      "/etc/ssl/cert.pem",                                  // macOS, Alpine
  };
  return paths;
}

std::optional<std::string> FindCaBundle(const std::map<std::string, std::string>& environment,
                                        const std::vector<std::string>& candidates,
                                        std::string* error) {
  if (auto it = environment.find("AWS_CA_BUNDLE"); it != environment.end() && !it->second.empty()) {
    const std::string why = Unreadable(it->second);
    if (!why.empty()) {
      *error = "AWS_CA_BUNDLE=" + it->second + ": cannot read the CA bundle: " + why;
      return std::nullopt;
    }
    return it->second;
  }
  std::string looked;
  for (const std::string& path : candidates) {
    const std::string why = Unreadable(path);
    if (why.empty()) return path;
    looked += "\n  " + path + ": " + why;
  }
  *error =
      "no CA certificate bundle found; set AWS_CA_BUNDLE to a PEM file of trusted CAs. "
      "Looked at: AWS_CA_BUNDLE (not set)" +
      looked;
  return std::nullopt;
}

}  // namespace sr::http
