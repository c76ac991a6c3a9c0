#include "checks/stacks_rules.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>

namespace sr::checks {
namespace {

using Violations = std::vector<Violation>;

// --- Ports open to the internet ----------------------------------------------------------------

// An ingress rule that admits the whole internet: its CIDR may be a /0.
struct OpenRule {
  std::string protocol;  // "tcp", "udp", "icmp", "-1" (everything), or a protocol number
  bool all_ports = false;
  bool ports_known = false;
  long from = 0, to = 0;
  std::string cidr;
  std::string Describe() const {
    if (protocol == "-1") return "all traffic from " + cidr;
    if (all_ports) return protocol + " (all ports) from " + cidr;
    if (!ports_known) return protocol + " (ports known at deploy time) from " + cidr;
    return protocol + " " + std::to_string(from) + (to != from ? "-" + std::to_string(to) : "") +
           " from " + cidr;
  }
  bool Covers(long port) const {
    if (protocol == "-1" || all_ports) return true;
    return ports_known && from <= port && port <= to;
  }
  bool Tcp() const { return protocol == "-1" || protocol == "tcp"; }
};

std::optional<long> PortOf(const RuleContext& ctx, const Json& v) {
  const Possible p = ctx.resolver.Resolve(v);
  if (p.unknown || p.known.size() != 1) return std::nullopt;
  const Json& k = p.known.front();
  if (k.is_number_integer()) return k.get<long>();
  if (k.is_string()) {
    try {
      return std::stol(k.get<std::string>());
    } catch (...) {
    }
  }
  return std::nullopt;
}

std::vector<OpenRule> OpenIngress(const RuleContext& ctx, const Json& resource) {
  std::vector<Json> rules;
  if (TypeOf(resource) == "AWS::EC2::SecurityGroup") {
    rules = Elements(ctx, Get(Props(resource), "SecurityGroupIngress"));
  } else if (TypeOf(resource) == "AWS::EC2::SecurityGroupIngress") {
    rules = {Props(resource)};
  }
  std::vector<OpenRule> out;
  for (const auto& rule : rules) {
    std::string cidr;
    for (const char* key : {"CidrIp", "CidrIpv6"}) {
      for (const auto& v : ctx.resolver.Resolve(Get(rule, key)).known) {
        if (v.is_string() && v.get<std::string>().ends_with("/0")) cidr = v.get<std::string>();
      }
    }
    if (cidr.empty()) continue;
    OpenRule open;
    open.cidr = cidr;
    const auto proto = ctx.resolver.KnownString(Get(rule, "IpProtocol"));
    const Json& raw_proto = Get(rule, "IpProtocol");
    open.protocol = proto ? Lower(*proto) : (raw_proto.is_number() ? raw_proto.dump() : "?");
    if (open.protocol == "6") open.protocol = "tcp";
    if (open.protocol == "17") open.protocol = "udp";
    if (open.protocol == "1") open.protocol = "icmp";
    if (open.protocol == "all") open.protocol = "-1";
    const auto from = PortOf(ctx, Get(rule, "FromPort"));
    const auto to = PortOf(ctx, Get(rule, "ToPort"));
    if (from && to) {
      open.ports_known = true;
      open.from = *from;
      open.to = *to;
      open.all_ports = *from == -1 || (*from <= 0 && *to >= 65535);
    }
    out.push_back(open);
  }
  return out;
}

Violations RpcNotPublic(const std::string&, const Json& r, const RuleContext& ctx) {
  std::vector<std::pair<int, std::string>> ports = {{ctx.ports.rpc, "Stacks RPC"}};
  for (const auto& p : ctx.ports.private_ports) ports.push_back(p);
  Violations out;
  for (const auto& open : OpenIngress(ctx, r)) {
    if (!open.Tcp()) continue;
    std::string exposed;
    for (const auto& [port, what] : ports) {
      if (open.Covers(port)) {
        exposed += (exposed.empty() ? "" : ", ") + what + " (" + std::to_string(port) + ")";
      }
    }
    if (!exposed.empty()) out.push_back({"", open.Describe() + " exposes " + exposed});
  }
  if (out.size() > 1) {
    std::string all;
    for (const auto& v : out) all += (all.empty() ? "" : "; ") + v.detail;
    return {{"", all}};
  }
  return out;
}

Violations OnlyP2pPublic(const std::string&, const Json& r, const RuleContext& ctx) {
  std::string wrong;
  for (const auto& open : OpenIngress(ctx, r)) {
    const bool p2p = (open.protocol == "tcp" || open.protocol == "udp") && open.ports_known &&
                     open.from == ctx.ports.p2p && open.to == ctx.ports.p2p;
    if (!p2p && (open.ports_known || open.protocol == "-1")) {
      wrong += (wrong.empty() ? "" : "; ") + open.Describe();
    }
  }
  if (wrong.empty()) return {};
  return {{"", wrong + " (P2P is " + std::to_string(ctx.ports.p2p) + ")"}};
}

// --- Instance metadata -------------------------------------------------------------------------

// Violations of IMDSv2 for MetadataOptions `options` (null: absent).
Violations MetadataOptions(const RuleContext& ctx, const Json& options) {
  if (options.is_null()) {
    return {{"", "no MetadataOptions: the AMI's or the account's default decides"}};
  }
  const Possible endpoint = ctx.resolver.Resolve(Get(options, "HttpEndpoint"));
  if (!endpoint.unknown && !endpoint.may_be_absent && !endpoint.known.empty() &&
      std::all_of(endpoint.known.begin(), endpoint.known.end(),
                  [](const Json& v) { return v == "disabled"; })) {
    return {};  // no instance metadata at all
  }
  const Possible tokens = ctx.resolver.Resolve(Get(options, "HttpTokens"));
  if (tokens.may_be_absent) return {{"", "HttpTokens may be left unset"}};
  for (const auto& v : tokens.known) {
    if (v != "required") {
      return {{"", v.is_null() ? "HttpTokens is not set" : "HttpTokens is " + v.dump()}};
    }
  }
  return {};
}

Violations Imdsv2(const std::string&, const Json& r, const RuleContext& ctx) {
  const Json& p = Props(r);
  if (TypeOf(r) == "AWS::EC2::LaunchTemplate") {
    return MetadataOptions(ctx, Get(Get(p, "LaunchTemplateData"), "MetadataOptions"));
  }
  if (TypeOf(r) == "AWS::EC2::Instance") {
    // Launched from a launch template: a launch template of this template has its own finding,
    // one from elsewhere is known at deploy time only.
    if (!p.contains("MetadataOptions") && p.contains("LaunchTemplate")) return {};
    return MetadataOptions(ctx, Get(p, "MetadataOptions"));
  }
  if (TypeOf(r) == "AWS::AutoScaling::LaunchConfiguration") {
    return MetadataOptions(ctx, Get(p, "MetadataOptions"));
  }
  return {};
}

// --- Secrets in user data ----------------------------------------------------------------------

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string RenderDepth(const Json& v, const Resolver& resolver, int depth) {
  if (depth > 16) return "${?}";
  if (v.is_string()) return v.get<std::string>();
  if (!IsIntrinsic(v)) return v.is_null() ? "" : v.dump();
  const std::string& fn = v.begin().key();
  const Json& arg = v.begin().value();
  if (fn == "Fn::Base64") return RenderDepth(arg, resolver, depth + 1);
  if (fn == "Fn::Join" && arg.is_array() && arg.size() == 2 && arg[0].is_string() &&
      arg[1].is_array()) {
    std::string out;
    bool first = true;
    for (const auto& part : arg[1]) {
      if (!first) out += arg[0].get<std::string>();
      first = false;
      out += RenderDepth(part, resolver, depth + 1);
    }
    return out;
  }
  if (fn == "Fn::If" && arg.is_array() && arg.size() == 3) {
    return RenderDepth(arg[1], resolver, depth + 1) + "\n" +
           RenderDepth(arg[2], resolver, depth + 1);
  }
  if (fn == "Fn::Sub") {
    std::string text;
    Json variables = Json::object();
    if (arg.is_string()) {
      text = arg.get<std::string>();
    } else if (arg.is_array() && arg.size() == 2 && arg[0].is_string()) {
      text = arg[0].get<std::string>();
      variables = arg[1];
    } else {
      return "${?}";
    }
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      if (text.compare(i, 2, "${") == 0) {
        const size_t end = text.find('}', i + 2);
        if (end == std::string::npos) break;
        const std::string name = text.substr(i + 2, end - i - 2);
        std::optional<std::string> value;
        if (variables.contains(name)) {
          const Json& var = variables[name];
          value = var.is_string() ? std::optional<std::string>(var.get<std::string>())
                                  : resolver.KnownString(var);
        } else if (!name.empty() && name[0] != '!' && name.find('.') == std::string::npos) {
          value = resolver.KnownString(Json{{"Ref", name}});
        }
        out += value ? *value : text.substr(i, end + 1 - i);
        i = end + 1;
        continue;
      }
      out += text[i++];
    }
    return out + text.substr(i);
  }
  if (auto s = resolver.KnownString(v)) return *s;
  return "${?}";
}

Violations UserDataSecrets(const std::string&, const Json& r, const RuleContext& ctx) {
  const Json* user_data = nullptr;
  if (TypeOf(r) == "AWS::EC2::Instance" || TypeOf(r) == "AWS::AutoScaling::LaunchConfiguration") {
    user_data = &Get(Props(r), "UserData");
  } else if (TypeOf(r) == "AWS::EC2::LaunchTemplate") {
    user_data = &Get(Get(Props(r), "LaunchTemplateData"), "UserData");
  }
  if (user_data == nullptr || user_data->is_null()) return {};
  const std::vector<std::string> found =
      SecretLookingValues(RenderUserData(*user_data, ctx.resolver));
  if (found.empty()) return {};
  std::string all;
  for (const auto& f : found) all += (all.empty() ? "" : "; ") + f;
  return {{"", all}};
}

// --- Volumes -----------------------------------------------------------------------------------

Violations LaunchTemplateEncrypted(const std::string&, const Json& r, const RuleContext& ctx) {
  if (TypeOf(r) != "AWS::EC2::LaunchTemplate") return {};
  std::string unencrypted;
  for (const auto& m :
       Elements(ctx, Get(Get(Props(r), "LaunchTemplateData"), "BlockDeviceMappings"))) {
    if (!m.contains("Ebs")) continue;
    const Possible p = ctx.resolver.Resolve(Get(m["Ebs"], "Encrypted"));
    bool bad = p.may_be_absent;
    for (const auto& v : p.known) bad |= !IsTrue(v);
    if (bad) {
      const Json& device = Get(m, "DeviceName");
      unencrypted += (unencrypted.empty() ? "" : ", ") +
                     (device.is_string() ? device.get<std::string>() : device.dump());
    }
  }
  if (unencrypted.empty()) return {};
  return {{"", "not encrypted: " + unencrypted}};
}

constexpr long kIopsWarning = 16000;

std::string CostlyIops(const RuleContext& ctx, const Json& ebs) {
  const auto type = ctx.resolver.KnownString(Get(ebs, "VolumeType"));
  if (!type || (*type != "io1" && *type != "io2")) return "";
  const auto iops = PortOf(ctx, Get(ebs, "Iops"));
  if (!iops || *iops <= kIopsWarning) return "";
  return *type + " with " + std::to_string(*iops) + " provisioned IOPS";
}

Violations ProvisionedIops(const std::string&, const Json& r, const RuleContext& ctx) {
  std::vector<std::string> found;
  if (TypeOf(r) == "AWS::EC2::Volume") {
    found.push_back(CostlyIops(ctx, Props(r)));
  } else if (TypeOf(r) == "AWS::EC2::Instance" || TypeOf(r) == "AWS::EC2::LaunchTemplate") {
    const Json& mappings = TypeOf(r) == "AWS::EC2::Instance"
                               ? Get(Props(r), "BlockDeviceMappings")
                               : Get(Get(Props(r), "LaunchTemplateData"), "BlockDeviceMappings");
    for (const auto& m : Elements(ctx, mappings)) found.push_back(CostlyIops(ctx, Get(m, "Ebs")));
  }
  std::string all;
  for (const auto& f : found) {
    if (!f.empty()) all += (all.empty() ? "" : "; ") + f;
  }
  if (all.empty()) return {};
  return {{"", all}};
}

// --- Secrets on a role the stack does not own ---------------------------------------------------

// IAM's matching of an action pattern: '*' any run of characters, '?' one.
bool GlobMatches(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= text.size(); ++i) {
      if (GlobMatches(pattern.substr(1), text.substr(i))) return true;
    }
    return false;
  }
  return !text.empty() && (pattern[0] == '?' || pattern[0] == text[0]) &&
         GlobMatches(pattern.substr(1), text.substr(1));
}

// Whether an allowed action of the document may be a Secrets Manager action
// ("secretsmanager:GetSecretValue", "secretsmanager:*", "*", a NotAction, ...).
bool GrantsSecretsManager(const Json& document) {
  for (const auto& st : AsList(Get(document, "Statement"))) {
    if (Get(st, "Effect") != "Allow") continue;
    if (!Get(st, "NotAction").is_null()) return true;  // everything but some actions
    for (const auto& a : AsList(Get(st, "Action"))) {
      if (!a.is_string()) return true;  // known at deploy time only
      const std::string action = Lower(a.get<std::string>());
      const size_t colon = action.find(':');
      const std::string service = colon == std::string::npos ? action : action.substr(0, colon);
      if (GlobMatches(service, "secretsmanager")) return true;
    }
  }
  return false;
}

// A policy of this stack that grants Secrets Manager actions to a role this stack does not
// create (an imported role, or one named as text) reaches every instance that role serves: a
// shared role spreads a node's secrets to every other node that has it.
Violations SecretsOnSharedRole(const std::string&, const Json& r, const RuleContext& ctx) {
  const Json& type = TypeOf(r);
  if (type != "AWS::IAM::Policy" && type != "AWS::IAM::ManagedPolicy") return {};
  if (!GrantsSecretsManager(Get(Props(r), "PolicyDocument"))) return {};
  const Json& resources = Get(ctx.template_json, "Resources");
  std::string shared;
  for (const auto& role : AsList(Get(Props(r), "Roles"))) {
    const std::string id = Resolver::ReferencedId(role);
    if (!id.empty() && resources.is_object() && resources.contains(id)) continue;
    shared += (shared.empty() ? "" : ", ") + Flatten(role);
  }
  if (shared.empty()) return {};
  return {{"", "Secrets Manager actions granted to a role this stack does not create: " + shared}};
}

// --- Resource types ----------------------------------------------------------------------------

// The types the rules of this pass were written for (checked, or reviewed with nothing to check).
const std::set<std::string>& KnownTypes() {
  static const std::set<std::string> types = {
      "AWS::AutoScaling::AutoScalingGroup",
      "AWS::AutoScaling::LaunchConfiguration",
      "AWS::AutoScaling::LifecycleHook",
      "AWS::CloudFormation::WaitCondition",
      "AWS::CloudFormation::WaitConditionHandle",
      "AWS::CloudWatch::Alarm",
      "AWS::CloudWatch::CompositeAlarm",
      "AWS::CloudWatch::Dashboard",
      "AWS::EC2::Instance",
      "AWS::EC2::LaunchTemplate",
      "AWS::EC2::SecurityGroup",
      "AWS::EC2::SecurityGroupEgress",
      "AWS::EC2::SecurityGroupIngress",
      "AWS::EC2::Volume",
      "AWS::EC2::VolumeAttachment",
      "AWS::ElasticLoadBalancingV2::Listener",
      "AWS::ElasticLoadBalancingV2::LoadBalancer",
      "AWS::ElasticLoadBalancingV2::TargetGroup",
      "AWS::IAM::Group",
      "AWS::IAM::InstanceProfile",
      "AWS::IAM::ManagedPolicy",
      "AWS::IAM::Policy",
      "AWS::IAM::Role",
      "AWS::IAM::User",
      "AWS::KMS::Alias",
      "AWS::KMS::Key",
      "AWS::S3::Bucket",
      "AWS::S3::BucketPolicy",
      "AWS::SNS::Subscription",
      "AWS::SNS::Topic",
      "AWS::SNS::TopicPolicy",
      "AWS::SecretsManager::RotationSchedule",
      "AWS::SecretsManager::Secret",
      "AWS::SecretsManager::SecretTargetAttachment",
  };
  return types;
}

Violations UncheckedType(const std::string&, const Json& r, const RuleContext&) {
  const Json& type = TypeOf(r);
  if (type.is_string() && KnownTypes().count(type.get<std::string>())) return {};
  return {{"", "type " + (type.is_string() ? type.get<std::string>() : type.dump())}};
}

}  // namespace

std::string RenderUserData(const Json& user_data, const Resolver& resolver) {
  return RenderDepth(user_data, resolver, 0);
}

std::vector<std::string> SecretLookingValues(const std::string& script) {
  std::vector<std::string> lines;
  {
    std::istringstream in(script);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
  }
  std::vector<std::string> found;
  auto add = [&](size_t line, const std::string& what) {
    found.push_back("line " + std::to_string(line + 1) + ": " + what);
  };

  // Hex runs that are path components somewhere (content-addressed keys: settings/<sha256>.env)
  // are digests wherever they appear.
  std::set<std::string> digests;
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size();) {
      if (!IsHex(line[i])) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < line.size() && IsHex(line[j])) ++j;
      if ((i > 0 && line[i - 1] == '/') || (j < line.size() && line[j] == '/')) {
        digests.insert(Lower(line.substr(i, j - i)));
      }
      i = j;
    }
  }

  static const std::regex private_key("-----BEGIN [A-Z ]*PRIVATE KEY-----");
  static const std::regex access_key("(^|[^A-Z0-9])(AKIA|ASIA)[0-9A-Z]{16}([^A-Z0-9]|$)");
  static const std::regex secret_key(
      "aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9/+]{40}", std::regex::icase);
  // NAME=value, NAME: value, "NAME": "value" where NAME contains one of the words; a value that
  // is a shell expansion ($...), a path or a placeholder (<...>) is not a secret.
  static const std::regex assignment(
      "(^|[^A-Za-z0-9_])([A-Za-z0-9_]*(?:password|passwd|passphrase|secret|private_?key|mnemonic|"
      "seed_?phrase|api_?key|token)[A-Za-z0-9_]*)[\"']?\\s*[:=]\\s*[\"']?([^\\s\"'$;|&)<]+)",
      std::regex::icase);
  static const std::regex digest_words("sha-?256|digest|checksum", std::regex::icase);
  // ARNs name resources (a Secrets Manager secret's "...:secretsmanager:REGION:...:secret:NAME"
  // reads like assignments): they are identifiers, never secret values.
  static const std::regex arn("arn:aws(-cn|-us-gov)?:[A-Za-z0-9-]+:[^\\s\"'$;|&)<]*");

  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string& line = lines[n];
    if (std::regex_search(line, private_key)) add(n, "a PEM private key");
    if (std::regex_search(line, access_key)) add(n, "an AWS access key id");
    if (std::regex_search(line, secret_key)) add(n, "an AWS secret access key");
    const std::string without_arns = std::regex_replace(line, arn, "arn");
    for (auto it = std::sregex_iterator(without_arns.begin(), without_arns.end(), assignment);
         it != std::sregex_iterator(); ++it) {
      const std::string value = Lower((*it)[3].str());
      if (value.empty() || value[0] == '/' || value == "none" || value == "true" ||
          value == "false" || value == "null" || value == "arn") {
        continue;
      }
      add(n, "a value assigned to " + (*it)[2].str());
    }
    for (size_t i = 0; i < line.size();) {
      if (!IsHex(line[i])) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < line.size() && IsHex(line[j])) ++j;
      const size_t len = j - i;
      size_t before = i;
      if (before >= 2 && line[before - 1] == 'x' && line[before - 2] == '0') before -= 2;
      const bool bounded =
          (before == 0 || !IsAlnum(line[before - 1])) && (j == line.size() || !IsAlnum(line[j]));
      const std::string run = Lower(line.substr(i, len));
      if (bounded && len == 64 && !digests.count(run) && !std::regex_search(line, digest_words)) {
        add(n,
            "64 hex digits (a private key looks like this; a SHA-256 is exempt when used "
            "in a content-addressed key or named as a digest)");
      } else if (bounded && len == 66) {
        const bool public_key =
            (run.starts_with("02") || run.starts_with("03")) && j < line.size() && line[j] == '@';
        if (!public_key) add(n, "66 hex digits (a Stacks private key looks like this)");
      }
      i = j;
    }
  }
  return found;
}

std::vector<Rule> StacksRules() {
  return {
      {"StacksRunner-RpcNotPublic", Level::kError,
       "Stacks RPC, the signer endpoints or a metrics port is open to the internet (0.0.0.0/0 or "
       "::/0).",
       RpcNotPublic},
      {"StacksRunner-OnlyP2pPublic", Level::kError,
       "A port other than Stacks P2P is open to the internet.", OnlyP2pPublic},
      {"StacksRunner-Imdsv2", Level::kError,
       "Instance metadata answers without a session token (IMDSv1): set MetadataOptions "
       "HttpTokens to required.",
       Imdsv2},
      {"StacksRunner-UserDataSecrets", Level::kError,
       "The user data holds what looks like a secret (a private key, AWS credentials, a "
       "password); user data is readable by anyone who may describe the instance.",
       UserDataSecrets},
      {"StacksRunner-LaunchTemplateEncrypted", Level::kError,
       "A launch template creates an EBS volume without encryption.", LaunchTemplateEncrypted},
      {"StacksRunner-SecretsOnSharedRole", Level::kError,
       "A policy grants Secrets Manager actions to a role this stack does not create (an "
       "imported or named role, which other stacks' instances may share): give the node a role "
       "of its own.",
       SecretsOnSharedRole},
      {"StacksRunner-ProvisionedIops", Level::kWarning,
       "An io1/io2 volume provisions more than 16,000 IOPS, each billed every month (see "
       "stacks-runner cost).",
       ProvisionedIops},
      {"StacksRunner-UncheckedType", Level::kWarning,
       "No rule of these checks was written for this resource type: review it by hand.",
       UncheckedType},
  };
}

}  // namespace sr::checks
