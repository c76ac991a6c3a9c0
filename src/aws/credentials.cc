#include "aws/credentials.h"

#include <nlohmann/json.hpp>

namespace sr::aws {
namespace {

constexpr char kNotConfigured[] = "NotConfigured";

AwsError NotConfigured(std::string where) {
  return MakeError(AwsError::Kind::kCredentials, kNotConfigured, std::move(where));
}
AwsError Failed(std::string message) {
  return MakeError(AwsError::Kind::kCredentials, "CredentialsError", std::move(message));
}
bool IsNotConfigured(const AwsError& e) { return e.code == kNotConfigured; }

std::string Get(const Environment& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

class EnvironmentProvider : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(const Environment& env) : env_(env) {}
  AwsResult<TimedCredentials> Fetch() override {
    const std::string id = Get(env_, "AWS_ACCESS_KEY_ID");
    const std::string secret = Get(env_, "AWS_SECRET_ACCESS_KEY");
    if (id.empty() && secret.empty()) {
      return NotConfigured(
          "the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set)");
    }
    if (id.empty() || secret.empty()) {
      return Failed(std::string(id.empty() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                    " is set but " + (id.empty() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                    " is not; set both");
    }
    return TimedCredentials{
        {id, secret, Get(env_, "AWS_SESSION_TOKEN")}, std::nullopt, "the environment"};
  }

 private:
  Environment env_;
};

class ProcessProvider : public CredentialsProvider {
 public:
  ProcessProvider(std::string command, std::string profile, util::ProcessRunner* runner)
      : command_(std::move(command)), profile_(std::move(profile)), runner_(runner) {}
  AwsResult<TimedCredentials> Fetch() override {
    const std::string source = "credential_process of profile " + profile_;
    std::vector<std::string> argv;
    if (!util::SplitCommandLine(command_, &argv) || argv.empty()) {
      return Failed(source + ": cannot parse the command line");
    }
    if (runner_ == nullptr) return Failed(source + ": cannot run programs here");
    const util::ProcessResult r = runner_->Run(argv, std::chrono::minutes(1));
    if (!r.started) return Failed(source + ": " + r.error);
    if (r.timed_out) return Failed(source + ": did not finish within a minute");
    if (r.exit_code != 0) {
      // Its stderr is the program's own message; its stdout may hold secrets and is not shown.
      std::string err = r.err.substr(0, 300);
      while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
      return Failed(source + ": " + argv[0] + " exited with status " + std::to_string(r.exit_code) +
                    (err.empty() ? "" : ": " + err));
    }
    return ParseCredentialProcessOutput(r.out, source);
  }

 private:
  std::string command_;
  std::string profile_;
  util::ProcessRunner* runner_;
};

class MetadataProvider : public CredentialsProvider {
 public:
  explicit MetadataProvider(MetadataSource* metadata) : metadata_(metadata) {}
  AwsResult<TimedCredentials> Fetch() override {
    if (metadata_ == nullptr) {
      return NotConfigured("instance metadata (disabled by AWS_EC2_METADATA_DISABLED)");
    }
    auto roles = metadata_->Get("iam/security-credentials/");
    if (!roles) {
      return NotConfigured("instance metadata (" + roles.error().message + ")");
    }
    std::string role = *roles;
    role = role.substr(0, role.find('\n'));
    if (role.empty()) return NotConfigured("instance metadata (no instance role)");
    auto body = metadata_->Get("iam/security-credentials/" + role);
    if (!body) return Failed("instance metadata, role " + role + ": " + body.error().message);
    const auto json = nlohmann::json::parse(*body, nullptr, false);
    if (!json.is_object() || json.value("Code", "") != "Success" || !json.contains("AccessKeyId") ||
        !json.contains("SecretAccessKey")) {
      return Failed("instance metadata, role " + role + ": unexpected answer");
    }
    TimedCredentials c{{json["AccessKeyId"], json["SecretAccessKey"], json.value("Token", "")},
                       std::nullopt,
                       "instance metadata (role " + role + ")"};
    util::Clock::TimePoint expiration;
    if (util::ParseIso8601(json.value("Expiration", ""), &expiration)) c.expiration = expiration;
    return c;
  }

 private:
  MetadataSource* metadata_;
};

class AssumeRoleProvider : public CredentialsProvider {
 public:
  AssumeRoleProvider(std::unique_ptr<CredentialsProvider> source, AssumeRoleRequest request,
                     AssumeRoleFunction assume, std::string profile)
      : source_(std::move(source)),
        request_(std::move(request)),
        assume_(std::move(assume)),
        profile_(std::move(profile)) {}
  AwsResult<TimedCredentials> Fetch() override {
    auto source = source_->Fetch();
    if (!source) {
      AwsError e = source.error();
      e.code = "CredentialsError";  // a missing source is a failure of this profile, not a skip
      e.message = "profile " + profile_ + " assumes " + request_.role_arn +
                  ", but its source credentials failed: " + e.message;
      return e;
    }
    if (!assume_) return Failed("profile " + profile_ + ": cannot call STS here");
    auto assumed = assume_(source->credentials, request_);
    if (!assumed) {
      AwsError e = assumed.error();
      e.message =
          "profile " + profile_ + ": assuming " + request_.role_arn + " failed: " + e.message;
      return e;
    }
    assumed->source = "role " + request_.role_arn + " assumed by profile " + profile_;
    return assumed;
  }

 private:
  std::unique_ptr<CredentialsProvider> source_;
  AssumeRoleRequest request_;
  AssumeRoleFunction assume_;
  std::string profile_;
};

class StaticProvider : public CredentialsProvider {
 public:
  explicit StaticProvider(TimedCredentials c) : c_(std::move(c)) {}
  AwsResult<TimedCredentials> Fetch() override { return c_; }

 private:
  TimedCredentials c_;
};

class FailingProvider : public CredentialsProvider {
 public:
  explicit FailingProvider(AwsError e) : e_(std::move(e)) {}
  AwsResult<TimedCredentials> Fetch() override { return e_; }

 private:
  AwsError e_;
};

// The provider a profile describes; `seen` guards against source_profile cycles.
std::unique_ptr<CredentialsProvider> ProfileProvider(const CredentialsContext& ctx,
                                                     const std::string& profile,
                                                     std::vector<std::string> seen) {
  const SharedConfig& config = *ctx.config;
  const std::string files = ctx.config->credentials_path + " and " + ctx.config->config_path;
  for (const auto& s : seen) {
    if (s == profile) {
      return std::make_unique<FailingProvider>(
          Failed("profile " + profile + ": source_profile loops back to itself"));
    }
  }
  seen.push_back(profile);
  if (!config.HasProfile(profile)) {
    return std::make_unique<FailingProvider>(
        NotConfigured("profile " + profile + " in " + files + " (no such profile)"));
  }
  if (auto role_arn = config.Get(profile, "role_arn")) {
    AssumeRoleRequest request;
    request.role_arn = *role_arn;
    request.session_name = config.Get(profile, "role_session_name").value_or("stacks-runner");
    request.external_id = config.Get(profile, "external_id").value_or("");
    if (auto d = config.Get(profile, "duration_seconds")) {
      request.duration_seconds = std::atoi(d->c_str());
      if (request.duration_seconds < 900) request.duration_seconds = 900;
    }
    std::unique_ptr<CredentialsProvider> source;
    if (auto source_profile = config.Get(profile, "source_profile")) {
      // The source profile's own keys, or its own role: a chain of roles.
      source = ProfileProvider(ctx, *source_profile, seen);
    } else if (auto credential_source = config.Get(profile, "credential_source")) {
      if (*credential_source == "Environment") {
        source = std::make_unique<EnvironmentProvider>(ctx.env);
      } else if (*credential_source == "Ec2InstanceMetadata") {
        source = std::make_unique<MetadataProvider>(ctx.metadata);
      } else {
        return std::make_unique<FailingProvider>(
            Failed("profile " + profile + ": credential_source " + *credential_source +
                   " is not supported; accepted: Environment, Ec2InstanceMetadata"));
      }
    } else {
      return std::make_unique<FailingProvider>(Failed(
          "profile " + profile + " has role_arn but neither source_profile nor credential_source"));
    }
    return std::make_unique<AssumeRoleProvider>(std::move(source), std::move(request),
                                                ctx.assume_role, profile);
  }
  if (auto process = config.Get(profile, "credential_process")) {
    return std::make_unique<ProcessProvider>(*process, profile, ctx.processes);
  }
  const auto id = config.Get(profile, "aws_access_key_id");
  const auto secret = config.Get(profile, "aws_secret_access_key");
  if (id && secret) {
    return std::make_unique<StaticProvider>(
        TimedCredentials{{*id, *secret, config.Get(profile, "aws_session_token").value_or("")},
                         std::nullopt,
                         "profile " + profile});
  }
  if (config.Get(profile, "sso_session") || config.Get(profile, "sso_start_url") ||
      config.Get(profile, "web_identity_token_file")) {
    return std::make_unique<FailingProvider>(
        Failed("profile " + profile +
               " uses IAM Identity Center or web identity, which stacks-runner does not read; "
               "export credentials with `aws configure export-credentials --profile " +
               profile + " --format env` or use credential_process"));
  }
  return std::make_unique<FailingProvider>(
      NotConfigured("profile " + profile + " in " + files + " (no credentials in it)"));
}

class ChainProvider : public CredentialsProvider {
 public:
  explicit ChainProvider(std::vector<std::unique_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}
  AwsResult<TimedCredentials> Fetch() override {
    if (chosen_ != nullptr) return chosen_->Fetch();
    std::string looked;
    for (auto& p : providers_) {
      auto r = p->Fetch();
      if (r) {
        chosen_ = p.get();
        return r;
      }
      if (!IsNotConfigured(r.error())) return r;
      looked += (looked.empty() ? "" : "; ") + r.error().message;
    }
    return MakeError(AwsError::Kind::kCredentials, "NoCredentials",
                     "no AWS credentials found; looked at " + looked);
  }

 private:
  std::vector<std::unique_ptr<CredentialsProvider>> providers_;
  CredentialsProvider* chosen_ = nullptr;
};

}  // namespace

std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(const CredentialsContext& ctx) {
  std::vector<std::unique_ptr<CredentialsProvider>> chain;
  // As botocore does, a profile named on the command line negates the environment's keys.
  if (!ctx.explicit_profile) chain.push_back(std::make_unique<EnvironmentProvider>(ctx.env));
  const bool profile_named = ctx.explicit_profile || !Get(ctx.env, "AWS_PROFILE").empty() ||
                             !Get(ctx.env, "AWS_DEFAULT_PROFILE").empty();
  const std::string named_by = ctx.explicit_profile ? "--profile" : "AWS_PROFILE";
  if (ctx.config != nullptr) {
    auto profile = ProfileProvider(ctx, ctx.profile, {});
    if (profile_named && !ctx.config->HasProfile(ctx.profile)) {
      // A profile asked for by name must exist: never fall back to other credentials.
      chain.push_back(std::make_unique<FailingProvider>(
          Failed("profile " + ctx.profile + " (from " + named_by + ") is not in " +
                 ctx.config->credentials_path + " or " + ctx.config->config_path)));
    } else {
      chain.push_back(std::move(profile));
    }
  }
  chain.push_back(std::make_unique<MetadataProvider>(ctx.metadata));
  return std::make_unique<ChainProvider>(std::move(chain));
}

std::unique_ptr<CredentialsProvider> MakeStaticProvider(TimedCredentials credentials) {
  return std::make_unique<StaticProvider>(std::move(credentials));
}

AwsResult<TimedCredentials> ParseCredentialProcessOutput(const std::string& output,
                                                         const std::string& source) {
  const auto json = nlohmann::json::parse(output, nullptr, false);
  if (!json.is_object()) return Failed(source + ": its output is not JSON");
  if (json.value("Version", 0) != 1) {
    return Failed(source + ": its output must have \"Version\": 1");
  }
  for (const char* key : {"AccessKeyId", "SecretAccessKey"}) {
    if (!json.contains(key) || !json[key].is_string() || json[key].get<std::string>().empty()) {
      return Failed(source + ": its output has no " + key);
    }
  }
  TimedCredentials c{{json["AccessKeyId"], json["SecretAccessKey"], json.value("SessionToken", "")},
                     std::nullopt,
                     source};
  if (json.contains("Expiration") && json["Expiration"].is_string()) {
    util::Clock::TimePoint expiration;
    if (!util::ParseIso8601(json["Expiration"].get<std::string>(), &expiration)) {
      return Failed(source + ": its Expiration is not an ISO 8601 time");
    }
    c.expiration = expiration;
  }
  return c;
}

CachingCredentials::CachingCredentials(std::unique_ptr<CredentialsProvider> provider,
                                       util::Clock* clock, std::chrono::minutes refresh_before)
    : provider_(std::move(provider)), clock_(clock), refresh_before_(refresh_before) {}

AwsResult<TimedCredentials> CachingCredentials::Get() {
  if (cached_ && (!cached_->expiration || clock_->Now() + refresh_before_ < *cached_->expiration)) {
    return *cached_;
  }
  auto fresh = provider_->Fetch();
  if (!fresh) {
    // Credentials that are late to refresh but not yet expired still work.
    if (cached_ && cached_->expiration && clock_->Now() < *cached_->expiration) return *cached_;
    return fresh;
  }
  if (fresh->expiration && *fresh->expiration <= clock_->Now()) {
    return Failed(fresh->source + ": the credentials it gave have already expired");
  }
  cached_ = *fresh;
  return fresh;
}

void CachingCredentials::Invalidate() { cached_.reset(); }

}  // namespace sr::aws
