#include "config/diagnostic.h"

#include <algorithm>

namespace sr::config {

std::string Origin::Describe() const {
  switch (kind) {
    case Kind::kFile:
      return file + ":" + std::to_string(line);
    case Kind::kEnvironment:
      return "environment";
    case Kind::kDefault:
      break;
  }
  return "default";
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = d.origin.Describe();
  out += d.severity == Severity::kError ? ": error: " : ": warning: ";
  if (!d.variable.empty()) {
    out += d.variable;
    out += "=\"";
    out += d.value;
    out += "\": ";
  }
  out += d.message;
  // One problem, one line: a value with a newline in it must not break the output apart.
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return out;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace sr::config
