#include "aws/session.h"

#include "aws/sts.h"

namespace sr::aws {

AwsResult<std::unique_ptr<Session>> Session::Create(SessionDeps deps,
                                                    const std::string& region_from_config) {
  std::unique_ptr<Session> s(new Session());
  s->deps_ = std::move(deps);
  s->config_ = SharedConfig::Load(s->deps_.env, *s->deps_.fs);
  s->profile_ = s->deps_.profile.empty() ? ProfileName(s->deps_.env) : s->deps_.profile;

  if (!ImdsDisabled(s->deps_.env) && s->deps_.imds_http != nullptr) {
    auto options = ImdsOptionsFromEnvironment(s->deps_.env);
    if (!options) return options.error();
    s->imds_ = std::make_unique<ImdsClient>(s->deps_.imds_http, s->deps_.clock, *options);
  }
  auto region = ResolveRegion(region_from_config, s->deps_.env, s->config_, s->profile_,
                              [imds = s->imds_.get()]() -> std::optional<std::string> {
                                if (imds == nullptr) return std::nullopt;
                                auto r = imds->Get("placement/region");
                                if (!r) return std::nullopt;
                                return *r;
                              });
  if (!region) return region.error();
  s->region_ = *region;

  if (auto it = s->deps_.env.find("AWS_MAX_ATTEMPTS"); it != s->deps_.env.end()) {
    const int n = std::atoi(it->second.c_str());
    if (n < 1 || n > 20) {
      return MakeError(AwsError::Kind::kConfig, "InvalidMaxAttempts",
                       "AWS_MAX_ATTEMPTS=\"" + it->second + "\": accepted: 1-20");
    }
    s->retry_.max_attempts = n;
  }

  CredentialsContext context;
  context.env = s->deps_.env;
  context.config = &s->config_;
  context.profile = s->profile_;
  context.explicit_profile = !s->deps_.profile.empty();
  context.processes = s->deps_.processes;
  context.metadata = s->imds_.get();
  context.clock = s->deps_.clock;
  Session* self = s.get();
  context.assume_role = [self](const Credentials& source,
                               const AssumeRoleRequest& request) -> AwsResult<TimedCredentials> {
    CachingCredentials fixed(MakeStaticProvider({source, std::nullopt, "source"}),
                             self->deps_.clock);
    std::string error;
    auto endpoint = http::ParseUrl(self->EndpointOf(Sts()).value, &error);
    if (!endpoint) return MakeError(AwsError::Kind::kConfig, "InvalidEndpoint", error);
    AwsClient sts(Sts(), self->region(), *endpoint,
                  {self->deps_.http, self->deps_.clock, &fixed, self->deps_.random}, self->retry_);
    return AssumeRole(sts, request);
  };
  s->credentials_ =
      std::make_unique<CachingCredentials>(MakeDefaultCredentialsChain(context), s->deps_.clock);
  return s;
}

Resolved Session::EndpointOf(const ServiceInfo& service) const {
  return ResolveEndpoint(service, region_.value, deps_.env, config_, profile_);
}

AwsResult<AwsClient> Session::Client(const ServiceInfo& service) {
  const Resolved endpoint = EndpointOf(service);
  std::string error;
  auto url = http::ParseUrl(endpoint.value, &error);
  if (!url) {
    return MakeError(AwsError::Kind::kConfig, "InvalidEndpoint",
                     "the " + std::string(service.name) + " endpoint from " + endpoint.source +
                         " (\"" + endpoint.value + "\") is not usable: " + error);
  }
  return AwsClient(service, region_.value, *url,
                   {deps_.http, deps_.clock, credentials_.get(), deps_.random}, retry_);
}

}  // namespace sr::aws
