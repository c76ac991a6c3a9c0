#include "deploy/security_changes.h"

#include <algorithm>
#include <sstream>

namespace sr::deploy {
namespace {

using nlohmann::json;

// What a resource grants, each grant as (description, the grant itself for comparison).
struct Grant {
  std::string description;
  json value;
};

std::string Compact(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.size() == 1) {
    const std::string fn = v.begin().key();
    const json& arg = v.begin().value();
    if (fn == "Ref") return "${" + arg.get<std::string>() + "}";
    if (fn == "Fn::Sub" && arg.is_string()) return arg.get<std::string>();
    if (fn == "Fn::Sub" && arg.is_array() && !arg.empty()) return arg[0].get<std::string>();
    if (fn == "Fn::GetAtt" && arg.is_array() && arg.size() == 2) {
      return "${" + arg[0].get<std::string>() + "." + arg[1].get<std::string>() + "}";
    }
    if (fn == "Fn::ImportValue") return "import " + Compact(arg);
  }
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ", ") + Compact(e);
    return out;
  }
  return v.dump();
}

void AddStatements(const json& document, const std::string& prefix, std::vector<Grant>* out) {
  if (!document.is_object() || !document.contains("Statement")) return;
  json statements = document["Statement"];
  if (!statements.is_array()) statements = json::array({statements});
  for (const auto& s : statements) {
    std::string d = prefix + s.value("Effect", "Allow") + " " + Compact(s.value("Action", json()));
    if (s.contains("Resource")) d += " on " + Compact(s["Resource"]);
    if (s.contains("Principal")) d += " to " + Compact(s["Principal"]);
    if (s.contains("Condition")) d += " when " + s["Condition"].dump();
    out->push_back({d, s});
  }
}

std::string RuleText(const json& rule, bool ingress) {
  std::string proto = rule.value("IpProtocol", json("-1")).is_string()
                          ? rule.value("IpProtocol", "-1")
                          : rule["IpProtocol"].dump();
  if (proto == "-1") proto = "all traffic";
  std::string ports;
  if (rule.contains("FromPort")) {
    ports = " " + Compact(rule["FromPort"]);
    if (rule.contains("ToPort") && rule["ToPort"] != rule["FromPort"]) {
      ports += "-" + Compact(rule["ToPort"]);
    }
  }
  std::string peer;
  for (const char* key :
       {"CidrIp", "CidrIpv6", "SourceSecurityGroupId", "DestinationSecurityGroupId",
        "SourcePrefixListId", "DestinationPrefixListId"}) {
    if (rule.contains(key)) peer = Compact(rule[key]);
  }
  return (ingress ? "ingress " : "egress ") + proto + ports + (ingress ? " from " : " to ") + peer;
}

std::vector<Grant> GrantsOf(const json& resource) {
  std::vector<Grant> grants;
  const std::string type = resource.value("Type", "");
  const json props = resource.value("Properties", json::object());
  if (type == "AWS::IAM::Role") {
    AddStatements(props.value("AssumeRolePolicyDocument", json()), "trust: ", &grants);
    for (const auto& p : props.value("Policies", json::array())) {
      AddStatements(p.value("PolicyDocument", json()), "", &grants);
    }
    for (const auto& arn : props.value("ManagedPolicyArns", json::array())) {
      grants.push_back({"managed policy " + Compact(arn), arn});
    }
  } else if (type == "AWS::IAM::Policy" || type == "AWS::IAM::ManagedPolicy" ||
             type == "AWS::S3::BucketPolicy") {
    AddStatements(props.value("PolicyDocument", json()), "", &grants);
  } else if (type == "AWS::EC2::SecurityGroup") {
    for (const auto& r : props.value("SecurityGroupIngress", json::array())) {
      grants.push_back({RuleText(r, true), json{{"in", r}}});
    }
    for (const auto& r : props.value("SecurityGroupEgress", json::array())) {
      grants.push_back({RuleText(r, false), json{{"out", r}}});
    }
  } else if (type == "AWS::EC2::SecurityGroupIngress" || type == "AWS::EC2::SecurityGroupEgress") {
    const bool ingress = type == "AWS::EC2::SecurityGroupIngress";
    grants.push_back(
        {RuleText(props, ingress) + " (group " + Compact(props.value("GroupId", json())) + ")",
         props});
  }
  return grants;
}

}  // namespace

std::vector<SecurityChange> SecurityChanges(const json& deployed, const json& local) {
  const json empty = json::object();
  const json& before =
      deployed.is_object() && deployed.contains("Resources") ? deployed["Resources"] : empty;
  const json& after = local.contains("Resources") ? local["Resources"] : empty;
  std::vector<SecurityChange> changes;
  auto compare = [&](const std::string& id, const json* old_resource, const json* new_resource) {
    const auto old_grants = old_resource ? GrantsOf(*old_resource) : std::vector<Grant>{};
    const auto new_grants = new_resource ? GrantsOf(*new_resource) : std::vector<Grant>{};
    const std::string type =
        (new_resource ? *new_resource : *old_resource).value("Type", std::string());
    auto contains = [](const std::vector<Grant>& list, const json& value) {
      return std::any_of(list.begin(), list.end(),
                         [&](const Grant& g) { return g.value == value; });
    };
    for (const auto& g : new_grants) {
      if (!contains(old_grants, g.value)) changes.push_back({id, type, true, g.description});
    }
    for (const auto& g : old_grants) {
      if (!contains(new_grants, g.value)) changes.push_back({id, type, false, g.description});
    }
  };
  for (const auto& [id, resource] : after.items()) {
    compare(id, before.contains(id) ? &before[id] : nullptr, &resource);
  }
  for (const auto& [id, resource] : before.items()) {
    if (!after.contains(id)) compare(id, &resource, nullptr);
  }
  return changes;
}

bool AnyBroadening(const std::vector<SecurityChange>& changes) {
  return std::any_of(changes.begin(), changes.end(),
                     [](const SecurityChange& c) { return c.added; });
}

std::string FormatSecurityChanges(const std::vector<SecurityChange>& changes) {
  std::ostringstream out;
  for (const auto& c : changes) {
    out << "  " << (c.added ? "+ " : "- ") << c.logical_id << " (" << c.resource_type
        << "): " << c.description << "\n";
  }
  return out.str();
}

}  // namespace sr::deploy
