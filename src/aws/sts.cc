#include "aws/sts.h"

namespace sr::aws {

AwsResult<CallerIdentity> GetCallerIdentity(AwsClient& sts) {
  auto r = sts.CallQuery("GetCallerIdentity", {});
  if (!r) return r.error();
  const auto result = Find(r->root(), "GetCallerIdentityResult");
  return CallerIdentity{Text(result, "Account"), Text(result, "Arn"), Text(result, "UserId")};
}

AwsResult<TimedCredentials> AssumeRole(AwsClient& sts, const AssumeRoleRequest& request) {
  NameValueList params{{"RoleArn", request.role_arn},
                       {"RoleSessionName", request.session_name},
                       {"DurationSeconds", std::to_string(request.duration_seconds)}};
  if (!request.external_id.empty()) params.emplace_back("ExternalId", request.external_id);
  auto r = sts.CallQuery("AssumeRole", params);
  if (!r) return r.error();
  const auto c = Find(r->root(), "AssumeRoleResult/Credentials");
  TimedCredentials out{
      {Text(c, "AccessKeyId"), Text(c, "SecretAccessKey"), Text(c, "SessionToken")},
      std::nullopt,
      "role " + request.role_arn};
  util::Clock::TimePoint expiration;
  if (util::ParseIso8601(Text(c, "Expiration"), &expiration)) out.expiration = expiration;
  if (out.credentials.access_key_id.empty() || out.credentials.secret_access_key.empty()) {
    AwsError e = MakeError(AwsError::Kind::kResponse, "InvalidResponse",
                           "AssumeRole answered without credentials");
    e.service = "STS";
    e.operation = "AssumeRole";
    return e;
  }
  return out;
}

}  // namespace sr::aws
