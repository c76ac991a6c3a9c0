#include "checks/aws_solutions.h"

#include <algorithm>
#include <regex>

namespace sr::checks {
namespace {

using Violations = std::vector<Violation>;

// True when some value `v` may take fails `ok`: a literal that fails it, or AWS::NoValue when
// `absent_fails`. An unknown value does not fail (values.h).
template <typename Pred>
bool SomeKnownFails(const RuleContext& ctx, const Json& v, Pred ok, bool absent_fails = true) {
  const Possible p = ctx.resolver.Resolve(v);
  if (p.may_be_absent && absent_fails) return true;
  for (const auto& k : p.known) {
    if (!ok(k)) return true;
  }
  return false;
}

std::string PortRange(const Json& rule) {
  const Json& proto = Get(rule, "IpProtocol");
  const std::string p = proto.is_string() ? proto.get<std::string>() : proto.dump();
  if (p == "-1") return "all traffic";
  return p + " " + Get(rule, "FromPort").dump() + "-" + Get(rule, "ToPort").dump();
}

// --- EC2 ---------------------------------------------------------------------------------------

// The first CIDR of an ingress rule that contains "/0" (cdk-nag's test), or "".
std::string OpenCidr(const RuleContext& ctx, const Json& rule) {
  for (const char* key : {"CidrIp", "CidrIpv6"}) {
    for (const auto& v : ctx.resolver.Resolve(Get(rule, key)).known) {
      if (v.is_string() && v.get<std::string>().find("/0") != std::string::npos) {
        return v.get<std::string>();
      }
    }
  }
  return "";
}

Violations Ec23(const std::string&, const Json& r, const RuleContext& ctx) {
  std::vector<Json> rules;
  if (TypeOf(r) == "AWS::EC2::SecurityGroup") {
    rules = Elements(ctx, Get(Props(r), "SecurityGroupIngress"));
  } else if (TypeOf(r) == "AWS::EC2::SecurityGroupIngress") {
    rules = {Props(r)};
  }
  for (const auto& rule : rules) {
    const std::string cidr = OpenCidr(ctx, rule);
    if (!cidr.empty()) return {{"", PortRange(rule) + " from " + cidr}};
  }
  return {};
}

enum class Devices { kEncrypted, kUnencrypted, kAbsent };

Devices BlockDevices(const RuleContext& ctx, const Json& mappings) {
  const std::vector<Json> items = Elements(ctx, mappings);
  if (items.empty()) return Devices::kAbsent;
  for (const auto& m : items) {
    if (SomeKnownFails(ctx, Get(Get(m, "Ebs"), "Encrypted"), IsTrue)) return Devices::kUnencrypted;
  }
  return Devices::kEncrypted;
}

// cdk-nag matches an instance's or group's launch template to a launch template of the stack
// when their LaunchTemplateName values are equal as JavaScript values (both absent, or the same
// literal), or when the LaunchTemplateId is the literal logical id. A LaunchTemplateId that is a
// Ref, as usual, does not match: cdk-nag then does not look at the launch template at all.
const Json* MatchingLaunchTemplate(const RuleContext& ctx, const Json& spec) {
  const Json& name = Get(spec, "LaunchTemplateName");
  const Json& id = Get(spec, "LaunchTemplateId");
  for (const auto& [logical_id, lt] :
       ResourcesOfType(ctx.template_json, "AWS::EC2::LaunchTemplate")) {
    const Json& lt_name = Get(Props(*lt), "LaunchTemplateName");
    const bool names_equal = (name.is_null() && lt_name.is_null()) ||
                             (name.is_string() && lt_name.is_string() && name == lt_name);
    if (names_equal || (id.is_string() && id == logical_id)) return lt;
  }
  return nullptr;
}

Violations Ec26(const std::string&, const Json& r, const RuleContext& ctx) {
  const Json& p = Props(r);
  if (TypeOf(r) == "AWS::EC2::Volume") {
    if (SomeKnownFails(ctx, Get(p, "Encrypted"), IsTrue)) return {{"", "Encrypted is not true"}};
    return {};
  }
  if (TypeOf(r) == "AWS::EC2::Instance") {
    const Devices own = BlockDevices(ctx, Get(p, "BlockDeviceMappings"));
    if (p.contains("LaunchTemplate")) {
      if (const Json* lt = MatchingLaunchTemplate(ctx, p["LaunchTemplate"])) {
        const Devices from_lt =
            BlockDevices(ctx, Get(Get(Props(*lt), "LaunchTemplateData"), "BlockDeviceMappings"));
        if (own == Devices::kAbsent && from_lt == Devices::kAbsent) {
          return {{"", "no block device mapping"}};
        }
        if (own == Devices::kUnencrypted || from_lt == Devices::kUnencrypted) {
          return {{"", "a block device mapping is not encrypted"}};
        }
        return {};
      }
    }
    if (own == Devices::kEncrypted) return {};
    return {{"", own == Devices::kAbsent ? "no block device mapping (the AMI's defaults)"
                                         : "a block device mapping is not encrypted"}};
  }
  if (TypeOf(r) == "AWS::AutoScaling::LaunchConfiguration") {
    if (BlockDevices(ctx, Get(p, "BlockDeviceMappings")) != Devices::kEncrypted) {
      return {{"", "a block device mapping is not encrypted, or there is none"}};
    }
    return {};
  }
  if (TypeOf(r) == "AWS::AutoScaling::AutoScalingGroup" && p.contains("LaunchTemplate")) {
    if (const Json* lt = MatchingLaunchTemplate(ctx, p["LaunchTemplate"])) {
      if (BlockDevices(ctx, Get(Get(Props(*lt), "LaunchTemplateData"), "BlockDeviceMappings")) !=
          Devices::kEncrypted) {
        return {{"", "its launch template has an unencrypted volume, or none"}};
      }
    }
  }
  return {};
}

Violations Ec27(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::EC2::SecurityGroup") return {};
  if (SomeKnownFails(ctx, Get(Props(r), "GroupDescription"), [](const Json& v) {
        return v.is_string() && v.get<std::string>().size() >= 2;
      })) {
    return {{"", ""}};
  }
  return {};
}

Violations Ec28(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) == "AWS::EC2::Instance") {
    if (SomeKnownFails(ctx, Get(Props(r), "Monitoring"),
                       [](const Json& v) { return !v.is_null() && !IsFalse(v); })) {
      return {{"", "Monitoring is not true"}};
    }
  } else if (TypeOf(r) == "AWS::AutoScaling::LaunchConfiguration") {
    if (SomeKnownFails(
            ctx, Get(Props(r), "InstanceMonitoring"), [](const Json& v) { return !IsFalse(v); },
            false)) {
      return {{"", "InstanceMonitoring is false"}};
    }
  }
  return {};
}

Violations Ec29(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::EC2::Instance") return {};
  if (SomeKnownFails(ctx, Get(Props(r), "DisableApiTermination"), IsTrue)) {
    return {{"", "DisableApiTermination is not true"}};
  }
  return {};
}

// --- Elastic Load Balancing ------------------------------------------------------------------

Violations Elb2(const std::string&, const Json& r, const RuleContext& ctx) {
  const Json& p = Props(r);
  if (TypeOf(r) == "AWS::ElasticLoadBalancingV2::LoadBalancer") {
    for (const auto& a : Elements(ctx, Get(p, "LoadBalancerAttributes"))) {
      if (Get(a, "Key") == "access_logs.s3.enabled" && Get(a, "Value") == "true") return {};
    }
    return {{"", "access_logs.s3.enabled is not \"true\""}};
  }
  if (TypeOf(r) == "AWS::ElasticLoadBalancing::LoadBalancer") {
    if (!p.contains("AccessLoggingPolicy")) return {{"", "no AccessLoggingPolicy"}};
    if (SomeKnownFails(
            ctx, Get(p["AccessLoggingPolicy"], "Enabled"),
            [](const Json& v) { return !IsFalse(v); }, false)) {
      return {{"", "access logging is disabled"}};
    }
  }
  return {};
}

// --- S3 ----------------------------------------------------------------------------------------

// cdk-nag builds regular expressions from a bucket's logical id and, when set, its BucketName as
// a JavaScript template literal would print it ("[object Object]" for an intrinsic function).
std::string BucketNameText(const Json& bucket) {
  const Json& name = Get(Props(bucket), "BucketName");
  if (name.is_null()) return "";
  if (name.is_string()) return name.get<std::string>();
  return "[object Object]";
}

bool PolicyIsForBucket(const Json& policy, const std::string& logical_id, const Json& bucket) {
  const Json& b = Get(Props(policy), "Bucket");
  if (Resolver::ReferencedId(b) == logical_id) return true;
  const Json& name = Get(Props(bucket), "BucketName");
  return b.is_string() && name.is_string() && b == name;
}

bool DeniesInsecureTransport(const Json& policy, const std::string& logical_id,
                             const std::string& bucket_name) {
  for (const auto& st : AsList(Get(Get(Props(policy), "PolicyDocument"), "Statement"))) {
    if (Get(st, "Effect") != "Deny") continue;
    bool all_actions = false;
    for (const auto& a : AsList(Get(st, "Action"))) {
      if (a.is_string() && (a == "*" || Lower(a.get<std::string>()) == "s3:*")) all_actions = true;
    }
    const Json& principal = Get(st, "Principal");
    bool everyone = principal == "*";
    for (const auto& a : AsList(Get(principal, "AWS"))) everyone |= a == "*";
    const Json& secure = Get(Get(Get(st, "Condition"), "Bool"), "aws:SecureTransport");
    if (!all_actions || !everyone || !(secure == "false" || secure == false)) continue;
    const Json& resources = Get(st, "Resource");
    if (!resources.is_array()) continue;
    std::string bucket_re = "(" + logical_id + "(?![\\w\\-]))";
    std::string objects_re = "(" + logical_id + "(?![\\w\\-]).*\\/\\*)";
    if (!bucket_name.empty()) {
      bucket_re += "|(" + bucket_name + "(?![\\w\\-]))";
      objects_re += "|(" + bucket_name + "(?![\\w\\-]).*\\/\\*)";
    }
    std::regex bucket_rx, objects_rx;
    try {
      bucket_rx = std::regex(bucket_re);
      objects_rx = std::regex(objects_re);
    } catch (const std::regex_error&) {
      continue;
    }
    bool bucket_matched = false, objects_matched = false;
    for (const auto& res : resources) {
      const std::string s = res.dump();
      const size_t slashes = std::count(s.begin(), s.end(), '/');
      if (!bucket_matched && std::regex_search(s, bucket_rx) && slashes == 0) {
        bucket_matched = true;
      } else if (!objects_matched && std::regex_search(s, objects_rx) && slashes == 1) {
        objects_matched = true;
      }
      if (bucket_matched && objects_matched) return true;
    }
  }
  return false;
}

Violations S1(const std::string& logical_id, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::S3::Bucket") return {};
  const Json& logging = Get(Props(r), "LoggingConfiguration");
  if (!logging.is_null() &&
      (logging.contains("DestinationBucketName") || logging.contains("LogFilePrefix"))) {
    return {};
  }
  // A bucket other buckets of the stack log to is a log bucket itself.
  const std::regex target(logical_id + "(?![\\w])");
  const Json& own_name = Get(Props(r), "BucketName");
  for (const auto& [id, other] : ResourcesOfType(ctx.template_json, "AWS::S3::Bucket")) {
    const std::string dest =
        Flatten(Get(Get(Props(*other), "LoggingConfiguration"), "DestinationBucketName"));
    if (std::regex_search(dest, target) || (own_name.is_string() && own_name == dest)) return {};
  }
  return {{"", "no server access logging"}};
}

Violations S2(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::S3::Bucket") return {};
  const Json& block = Get(Props(r), "PublicAccessBlockConfiguration");
  if (block.is_null()) return {};
  for (const char* key :
       {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}) {
    if (SomeKnownFails(ctx, Get(block, key), IsTrue))
      return {{"", std::string(key) + " is not true"}};
  }
  return {};
}

Violations S5(const std::string& logical_id, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::S3::Bucket" || !Props(r).contains("WebsiteConfiguration")) return {};
  for (const auto& [id, policy] : ResourcesOfType(ctx.template_json, "AWS::S3::BucketPolicy")) {
    if (!PolicyIsForBucket(*policy, logical_id, r)) continue;
    bool found = false, open = false;
    for (const auto& st : AsList(Get(Get(Props(*policy), "PolicyDocument"), "Statement"))) {
      if (Get(st, "Effect") != "Allow") continue;
      const Json& principal = Get(st, "Principal");
      if (principal.dump().find('*') != std::string::npos) {
        open = true;
        break;
      }
      const bool oai = Get(principal, "AWS").dump().find("CloudFront Origin Access Identity") !=
                           std::string::npos ||
                       principal.contains("CanonicalUser");
      if (!oai) continue;
      bool only_get_put = true;
      for (const auto& a : AsList(Get(st, "Action"))) {
        const std::string l = a.is_string() ? Lower(a.get<std::string>()) : "";
        only_get_put &= l == "s3:getobject" || l == "s3:putobject";
      }
      if (!only_get_put) {
        open = true;
        break;
      }
      found = true;
    }
    if (found && !open) return {};
  }
  return {{"", "a website bucket without a CloudFront OAI-only policy"}};
}

Violations S10(const std::string& logical_id, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) == "AWS::S3::Bucket") {
    for (const auto& [id, policy] : ResourcesOfType(ctx.template_json, "AWS::S3::BucketPolicy")) {
      if (PolicyIsForBucket(*policy, logical_id, r) &&
          DeniesInsecureTransport(*policy, logical_id, BucketNameText(r))) {
        return {};
      }
    }
    return {{"", "no bucket policy denies requests without TLS"}};
  }
  if (TypeOf(r) == "AWS::S3::BucketPolicy") {
    const std::string bucket = Resolver::ReferencedId(Get(Props(r), "Bucket"));
    if (!DeniesInsecureTransport(r, bucket.empty() ? "[object Object]" : bucket, "")) {
      return {{"", "the policy does not deny requests without TLS"}};
    }
  }
  return {};
}

// --- Auto Scaling ------------------------------------------------------------------------------

Violations As1(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::AutoScaling::AutoScalingGroup") return {};
  if (SomeKnownFails(
          ctx, Get(Props(r), "Cooldown"),
          [](const Json& v) {
            if (v.is_number()) return v.get<double>() != 0;
            if (v.is_string()) {
              try {
                return std::stol(v.get<std::string>()) != 0;
              } catch (...) {
                return true;
              }
            }
            return true;
          },
          false)) {
    return {{"", "Cooldown is 0"}};
  }
  return {};
}

Violations As2(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::AutoScaling::AutoScalingGroup") return {};
  const Json& p = Props(r);
  if (ctx.resolver.KnownString(Get(p, "HealthCheckType")) == "ELB" &&
      !p.contains("HealthCheckGracePeriod")) {
    return {{"", "ELB health checks without HealthCheckGracePeriod"}};
  }
  return {};
}

Violations As3(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::AutoScaling::AutoScalingGroup") return {};
  const Json& configs = Get(Props(r), "NotificationConfigurations");
  if (configs.is_null()) return {{"", "no NotificationConfigurations"}};
  std::vector<Json> types;
  for (const auto& c : Elements(ctx, configs)) {
    for (auto& t : Elements(ctx, Get(c, "NotificationTypes"))) types.push_back(std::move(t));
  }
  std::string missing;
  for (const char* event :
       {"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
        "autoscaling:EC2_INSTANCE_TERMINATE", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"}) {
    if (std::find(types.begin(), types.end(), Json(event)) == types.end()) {
      missing += (missing.empty() ? "" : ", ") + std::string(event);
    }
  }
  if (!missing.empty()) return {{"", "no notification of " + missing}};
  return {};
}

// --- IAM ---------------------------------------------------------------------------------------

bool IsIdentity(const Json& r) {
  return TypeOf(r) == "AWS::IAM::Role" || TypeOf(r) == "AWS::IAM::User" ||
         TypeOf(r) == "AWS::IAM::Group";
}

Violations Iam4(const std::string&, const Json& r, const RuleContext& ctx) {
  if (!IsIdentity(r)) return {};
  Violations out;
  for (const auto& list : ctx.resolver.Resolve(Get(Props(r), "ManagedPolicyArns")).known) {
    for (const auto& arn : AsList(list)) {
      const std::string flat = Flatten(arn);
      if (flat.find(":iam::aws:") == std::string::npos) continue;
      Violation v{"Policy::" + flat, "AWS managed policy " + flat};
      if (std::none_of(out.begin(), out.end(),
                       [&](const Violation& o) { return o.finding == v.finding; })) {
        out.push_back(std::move(v));
      }
    }
  }
  return out;
}

void AnalyzePolicy(const Json& document, Violations& out) {
  auto add = [&](std::string finding) {
    if (std::none_of(out.begin(), out.end(),
                     [&](const Violation& o) { return o.finding == finding; })) {
      out.push_back({finding, ""});
    }
  };
  for (const auto& st : AsList(Get(document, "Statement"))) {
    if (Get(st, "Effect") != "Allow") continue;
    for (const auto& a : AsList(Get(st, "Action"))) {
      if (a.is_string() && a.get<std::string>().find('*') != std::string::npos) {
        add("Action::" + a.get<std::string>());
      }
    }
    for (const auto& res : AsList(Get(st, "Resource"))) {
      const std::string flat = Flatten(res);
      if (flat.find('*') != std::string::npos) add("Resource::" + flat);
    }
  }
}

Violations Iam5(const std::string&, const Json& r, const RuleContext&) {
  Violations out;
  if (IsIdentity(r)) {
    for (const auto& policy : AsList(Get(Props(r), "Policies"))) {
      AnalyzePolicy(Get(policy, "PolicyDocument"), out);
    }
  } else if (TypeOf(r) == "AWS::IAM::Policy" || TypeOf(r) == "AWS::IAM::ManagedPolicy") {
    AnalyzePolicy(Get(Props(r), "PolicyDocument"), out);
  }
  return out;
}

// --- KMS ---------------------------------------------------------------------------------------

Violations Kms5(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::KMS::Key") return {};
  const Json& spec = Get(Props(r), "KeySpec");
  if (!spec.is_null() && spec != "SYMMETRIC_DEFAULT") return {};
  if (SomeKnownFails(ctx, Get(Props(r), "EnableKeyRotation"), IsTrue)) {
    return {{"", "EnableKeyRotation is not true"}};
  }
  return {};
}

// --- Secrets Manager, SNS ----------------------------------------------------------------------

Violations Smg4(const std::string& logical_id, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::SecretsManager::Secret") return {};
  std::vector<std::string> attachments;
  for (const auto& [id, a] :
       ResourcesOfType(ctx.template_json, "AWS::SecretsManager::SecretTargetAttachment")) {
    if (Resolver::ReferencedId(Get(Props(*a), "SecretId")) == logical_id) attachments.push_back(id);
  }
  for (const auto& [id, s] :
       ResourcesOfType(ctx.template_json, "AWS::SecretsManager::RotationSchedule")) {
    const Json& p = Props(*s);
    const std::string secret = Resolver::ReferencedId(Get(p, "SecretId"));
    if (secret != logical_id &&
        std::find(attachments.begin(), attachments.end(), secret) == attachments.end()) {
      continue;
    }
    if (!p.contains("HostedRotationLambda") && !p.contains("RotationLambdaARN")) continue;
    const Json& rules = Get(p, "RotationRules");
    if (rules.contains("AutomaticallyAfterDays") || rules.contains("ScheduleExpression")) return {};
  }
  return {{"", "no rotation schedule"}};
}

Violations Sns3(const std::string& logical_id, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::SNS::Topic") return {};
  if (Props(r).contains("KmsMasterKeyId")) return {};
  const Json& name = Get(Props(r), "TopicName");
  for (const auto& [id, policy] : ResourcesOfType(ctx.template_json, "AWS::SNS::TopicPolicy")) {
    bool mine = false;
    for (const auto& t : AsList(Get(Props(*policy), "Topics"))) {
      const std::string ref = Resolver::ReferencedId(t);
      mine |= ref == logical_id || (ref.empty() && t.is_string() && name.is_string() &&
                                    t.get<std::string>().ends_with(name.get<std::string>()));
    }
    if (!mine) continue;
    for (const auto& st : AsList(Get(Get(Props(*policy), "PolicyDocument"), "Statement"))) {
      if (Get(st, "Effect") != "Deny") continue;
      bool publish = false;
      for (const auto& a : AsList(Get(st, "Action"))) {
        publish |= a.is_string() && Lower(a.get<std::string>()) == "sns:publish";
      }
      const Json& principal = Get(st, "Principal");
      bool everyone = principal == "*";
      for (const auto& a : AsList(Get(principal, "AWS"))) everyone |= a == "*";
      const Json& secure = Get(Get(Get(st, "Condition"), "Bool"), "aws:SecureTransport");
      if (publish && everyone && (secure == "false" || secure == false)) return {};
    }
  }
  return {{"", "neither a KMS key nor a topic policy denying publishing without TLS"}};
}

}  // namespace

std::vector<Rule> AwsSolutionsRules() {
  return {
      {"AwsSolutions-EC23", Level::kError,
       "The Security Group allows for 0.0.0.0/0 or ::/0 inbound access.", Ec23},
      {"AwsSolutions-EC26", Level::kError,
       "The resource creates one or more EBS volumes that have encryption disabled.", Ec26},
      {"AwsSolutions-EC27", Level::kError, "The Security Group does not have a description.", Ec27},
      {"AwsSolutions-EC28", Level::kError,
       "The EC2 instance/AutoScaling launch configuration does not have detailed monitoring "
       "enabled.",
       Ec28},
      {"AwsSolutions-EC29", Level::kError,
       "The EC2 instance is not part of an ASG and has Termination Protection disabled.", Ec29},
      {"AwsSolutions-ELB2", Level::kError, "The ELB does not have access logs enabled.", Elb2},
      {"AwsSolutions-S1", Level::kError, "The S3 Bucket has server access logs disabled.", S1},
      {"AwsSolutions-S2", Level::kError,
       "The S3 Bucket does not have public access restricted and blocked.", S2},
      {"AwsSolutions-S5", Level::kError,
       "The S3 static website bucket either has an open world bucket policy or does not use a "
       "CloudFront Origin Access Identity (OAI) in the bucket policy for limited getObject "
       "and/or putObject permissions.",
       S5},
      {"AwsSolutions-S10", Level::kError,
       "The S3 Bucket or bucket policy does not require requests to use SSL.", S10},
      {"AwsSolutions-AS1", Level::kError, "The Auto Scaling Group does not have a cooldown period.",
       As1},
      {"AwsSolutions-AS2", Level::kError,
       "The Auto Scaling Group does not have properly configured health checks.", As2},
      {"AwsSolutions-AS3", Level::kError,
       "The Auto Scaling Group does not have notifications configured for all scaling events.",
       As3},
      {"AwsSolutions-IAM4", Level::kError,
       "The IAM user, role, or group uses AWS managed policies.", Iam4},
      {"AwsSolutions-IAM5", Level::kError,
       "The IAM entity contains wildcard permissions and does not have a cdk-nag rule "
       "suppression with evidence for those permission.",
       Iam5},
      {"AwsSolutions-KMS5", Level::kError,
       "The KMS Symmetric key does not have automatic key rotation enabled.", Kms5},
      {"AwsSolutions-SMG4", Level::kError, "The secret does not have automatic rotation scheduled.",
       Smg4},
      {"AwsSolutions-SNS3", Level::kError, "The SNS Topic does not require publishers to use SSL.",
       Sns3},
  };
}

}  // namespace sr::checks
