// What can go wrong talking to AWS, and a result type that carries either a value or that.
#ifndef STACKS_RUNNER_AWS_ERROR_H_
#define STACKS_RUNNER_AWS_ERROR_H_

#include <string>
#include <utility>
#include <variant>

namespace sr::aws {

struct AwsError {
  enum class Kind {
    kService,      // AWS answered with an error (code and message as AWS sent them)
    kTransport,    // no usable answer: connection refused, reset, timeout, TLS
    kCredentials,  // no credentials, or they could not be obtained
    kConfig,       // region, endpoint or profile settings are wrong
    kResponse,     // AWS answered something we could not read
  };
  Kind kind = Kind::kService;
  std::string code;     // "ValidationError", "Throttling", ...
  std::string message;  // as AWS wrote it
  int http_status = 0;
  std::string request_id;
  std::string service;    // "CloudFormation"
  std::string operation;  // "CreateChangeSet"

  bool IsThrottling() const;
  // Throttling, 5xx, request timeouts and transport failures: worth another attempt.
  bool IsRetryable() const;
  bool IsAccessDenied() const;
  bool IsExpiredCredentials() const;

  // "CloudFormation CreateChangeSet: ValidationError: <message> (HTTP 400, request id ...)"
  std::string Describe() const;
};

AwsError MakeError(AwsError::Kind kind, std::string code, std::string message);

template <typename T>
class AwsResult {
 public:
  AwsResult(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  AwsResult(AwsError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const AwsError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, AwsError> v_;
};

struct Unit {};  // the value of calls that return nothing

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_ERROR_H_
