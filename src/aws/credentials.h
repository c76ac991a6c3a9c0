// Where AWS credentials come from, in the AWS CLI's order: the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the profile (AWS_PROFILE, else
// "default") in ~/.aws/credentials and ~/.aws/config with static keys, credential_process, or
// role_arn with source_profile or credential_source through STS AssumeRole, and finally the
// instance's role through IMDSv2. Temporary credentials are refreshed before they expire.
#ifndef STACKS_RUNNER_AWS_CREDENTIALS_H_
#define STACKS_RUNNER_AWS_CREDENTIALS_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/endpoints.h"
#include "aws/error.h"
#include "aws/shared_config.h"
#include "aws/sigv4.h"
#include "util/clock.h"
#include "util/process.h"

namespace sr::aws {

struct TimedCredentials {
  Credentials credentials;
  std::optional<util::Clock::TimePoint> expiration;  // none for long-term keys
  std::string source;  // where they came from, for messages ("environment", "profile dev", ...)
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Fresh credentials from the source (no caching).
  virtual AwsResult<TimedCredentials> Fetch() = 0;
};

// The instance metadata service, as the credentials and region lookups need it.
class MetadataSource {
 public:
  virtual ~MetadataSource() = default;
  // GET /latest/meta-data/<path> with an IMDSv2 token.
  virtual AwsResult<std::string> Get(const std::string& path) = 0;
};

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;
  std::string external_id;
  int duration_seconds = 3600;
};
// Calls STS AssumeRole signed with `source`.
using AssumeRoleFunction =
    std::function<AwsResult<TimedCredentials>(const Credentials& source, const AssumeRoleRequest&)>;

// Everything the providers may need; pointers may be null where not available.
struct CredentialsContext {
  Environment env;
  const SharedConfig* config = nullptr;
  std::string profile;
  bool explicit_profile = false;  // named on the command line: environment keys are not used
  util::ProcessRunner* processes = nullptr;
  MetadataSource* metadata = nullptr;  // null when AWS_EC2_METADATA_DISABLED or unavailable
  AssumeRoleFunction assume_role;
  util::Clock* clock = nullptr;
};

// The provider chain for the context. Fetch() tries each source in order, keeps to the first that
// answers, and when none does fails with one message that lists every place it looked.
std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(const CredentialsContext& context);

// Always the same credentials.
std::unique_ptr<CredentialsProvider> MakeStaticProvider(TimedCredentials credentials);

// Caches credentials and fetches new ones when they expire within `refresh_before`.
class CachingCredentials {
 public:
  CachingCredentials(std::unique_ptr<CredentialsProvider> provider, util::Clock* clock,
                     std::chrono::minutes refresh_before = std::chrono::minutes(5));
  AwsResult<TimedCredentials> Get();
  // Forget the cached credentials (after AWS rejected them as expired).
  void Invalidate();

 private:
  std::unique_ptr<CredentialsProvider> provider_;
  util::Clock* clock_;
  std::chrono::minutes refresh_before_;
  std::optional<TimedCredentials> cached_;
};

// Reads the JSON a credential_process prints (Version 1).
AwsResult<TimedCredentials> ParseCredentialProcessOutput(const std::string& output,
                                                         const std::string& source);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_CREDENTIALS_H_
