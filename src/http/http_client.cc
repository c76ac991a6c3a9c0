#include "http/http_client.h"

namespace sr::http {

const std::string* HttpResponse::FindHeader(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (aws::EqualsIgnoreCase(header_name, name)) return &value;
  }
  return nullptr;
}

std::string_view TransportErrorKindName(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::kResolve:
      return "resolve";
    case TransportErrorKind::kConnect:
      return "connect";
    case TransportErrorKind::kTls:
      return "tls";
    case TransportErrorKind::kTimeout:
      return "timeout";
    case TransportErrorKind::kConnectionDropped:
      return "connection dropped";
    case TransportErrorKind::kProxy:
      return "proxy";
    case TransportErrorKind::kProtocol:
      return "protocol";
    case TransportErrorKind::kAborted:
      return "aborted";
  }
  return "unknown";
}

}  // namespace sr::http
