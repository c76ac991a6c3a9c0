#include "deploy/parameters.h"

#include <algorithm>
#include <set>

#include "aws/ssm.h"

namespace sr::deploy {
namespace {

using nlohmann::json;

aws::AwsError Problem(std::string message) {
  return aws::MakeError(aws::AwsError::Kind::kConfig, "DeployParameters", std::move(message));
}

const aws::StackParameter* Previous(const aws::Stack* existing, const std::string& name) {
  if (existing == nullptr) return nullptr;
  for (const auto& p : existing->parameters) {
    if (p.key == name) return &p;
  }
  return nullptr;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

}  // namespace

std::vector<aws::Subnet> OnePerZone(std::vector<aws::Subnet> subnets) {
  std::sort(subnets.begin(), subnets.end(), [](const aws::Subnet& a, const aws::Subnet& b) {
    if (a.availability_zone != b.availability_zone)
      return a.availability_zone < b.availability_zone;
    if (a.map_public_ip_on_launch != b.map_public_ip_on_launch) return a.map_public_ip_on_launch;
    if (a.default_for_az != b.default_for_az) return a.default_for_az;
    return a.id < b.id;
  });
  std::vector<aws::Subnet> out;
  std::set<std::string> zones;
  for (auto& s : subnets) {
    if (zones.insert(s.availability_zone).second) out.push_back(std::move(s));
  }
  return out;
}

aws::AwsResult<ResolvedParameters> ResolveParameters(const ParameterInputs& in, aws::Ec2Api& ec2,
                                                     aws::AwsClient& ssm) {
  ResolvedParameters out;
  const json& sources = *in.sources;
  auto source_of = [&](const char* name) -> const json* {
    return sources.contains(name) ? &sources[name] : nullptr;
  };
  auto keep = [&](const std::string& name) -> bool {
    const aws::StackParameter* previous = Previous(in.existing, name);
    if (previous == nullptr) return false;
    out.parameters.push_back({name, previous->value, true});
    out.notes.push_back(name + " " + previous->value + " (as deployed)");
    return true;
  };

  // The VPC comes first: the CIDR and the subnets depend on it.
  std::string vpc_id;
  std::optional<aws::Vpc> vpc;
  if (const json* s = source_of("VpcId")) {
    if (s->contains("value")) {
      vpc_id = (*s)["value"];
      auto found = ec2.DescribeVpc(vpc_id);
      if (!found) return found.error();
      if (!*found) {
        return Problem("STACKS_VPC_ID=" + vpc_id + ": no such VPC in this region; check the " +
                       "id and AWS_REGION");
      }
      vpc = **found;
      out.notes.push_back("VpcId " + vpc_id + " (STACKS_VPC_ID)");
    } else if (const aws::StackParameter* previous = Previous(in.existing, "VpcId")) {
      vpc_id = previous->value;
    } else {
      auto found = ec2.DefaultVpc();
      if (!found) return found.error();
      if (!*found) {
        return Problem(
            "this region has no default VPC: create one with `aws ec2 create-default-vpc`, or "
            "set STACKS_VPC_ID and STACKS_SUBNET_IDS to a VPC of your own");
      }
      vpc = **found;
      vpc_id = vpc->id;
      out.notes.push_back("VpcId " + vpc_id + " (the default VPC)");
    }
    if (!vpc && !keep("VpcId")) return Problem("no VPC");
    if (vpc) out.parameters.push_back({"VpcId", vpc_id, false});
  }

  auto vpc_subnets = [&]() -> aws::AwsResult<std::vector<aws::Subnet>> {
    return ec2.SubnetsOfVpc(vpc_id);
  };
  auto check_subnets = [&](const std::vector<std::string>& ids,
                           bool need_two_zones) -> aws::AwsResult<std::vector<aws::Subnet>> {
    auto found = ec2.DescribeSubnets(ids);
    if (!found) return found.error();
    std::set<std::string> zones;
    for (const auto& id : ids) {
      auto it = std::find_if(found->begin(), found->end(),
                             [&](const aws::Subnet& s) { return s.id == id; });
      if (it == found->end()) return Problem("STACKS_SUBNET_IDS: subnet " + id + " does not exist");
      if (it->vpc_id != vpc_id) {
        return Problem("STACKS_SUBNET_IDS: subnet " + id + " is in " + it->vpc_id + ", not in " +
                       vpc_id);
      }
      zones.insert(it->availability_zone);
    }
    if (need_two_zones && zones.size() < 2) {
      return Problem(
          "STACKS_SUBNET_IDS: the HA group and its load balancer need subnets in two "
          "availability zones at least; these are all in " +
          *zones.begin());
    }
    return *found;
  };

  std::string subnet_zone;  // of the single node's subnet
  for (const auto& [name, source] : sources.items()) {
    if (name == "VpcId" || name == "AvailabilityZone") continue;
    const std::string kind = source.value("source", "");
    if (name == "VpcCidr") {
      if (!vpc) {
        auto found = ec2.DescribeVpc(vpc_id);
        if (!found) return found.error();
        if (!*found) return Problem("the deployed stack's VPC " + vpc_id + " no longer exists");
        vpc = **found;
      }
      out.parameters.push_back({name, vpc->cidr, false});
      out.notes.push_back("VpcCidr " + vpc->cidr + " (RPC open to it)");
    } else if (name == "SubnetId") {
      if (source.contains("value")) {
        const std::string id = source["value"];
        auto checked = check_subnets({id}, false);
        if (!checked) return checked.error();
        subnet_zone = checked->front().availability_zone;
        out.parameters.push_back({name, id, false});
      } else if (!keep(name)) {
        auto subnets = vpc_subnets();
        if (!subnets) return subnets.error();
        auto zones = OnePerZone(*subnets);
        if (zones.empty() || !zones.front().map_public_ip_on_launch) {
          return Problem("VPC " + vpc_id +
                         " has no public subnet (one that gives instances a "
                         "public IP): peers must reach the node's P2P port; set "
                         "STACKS_SUBNET_IDS to the subnet to use");
        }
        subnet_zone = zones.front().availability_zone;
        out.parameters.push_back({name, zones.front().id, false});
        out.notes.push_back("SubnetId " + zones.front().id + " (" + subnet_zone + ")");
      }
    } else if (name == "SubnetIds") {
      if (source.contains("value")) {
        std::vector<std::string> ids = source["value"];
        auto checked = check_subnets(ids, true);
        if (!checked) return checked.error();
        out.parameters.push_back({name, Join(ids), false});
      } else if (!keep(name)) {
        auto subnets = vpc_subnets();
        if (!subnets) return subnets.error();
        std::vector<aws::Subnet> public_subnets;
        for (const auto& s : *subnets) {
          if (s.map_public_ip_on_launch) public_subnets.push_back(s);
        }
        auto zones = OnePerZone(public_subnets);
        if (zones.size() < 2) {
          return Problem("VPC " + vpc_id + " has public subnets in " +
                         std::to_string(zones.size()) +
                         " availability zone(s): the HA group and its load balancer need two at "
                         "least; set STACKS_SUBNET_IDS");
        }
        std::vector<std::string> ids;
        for (const auto& s : zones) ids.push_back(s.id);
        out.parameters.push_back({name, Join(ids), false});
        out.notes.push_back("SubnetIds " + Join(ids) + " (" + std::to_string(ids.size()) +
                            " zones)");
      }
    } else if (kind == "ssm-parameter") {
      if (in.refresh_ami || !keep(name)) {
        const std::string parameter = source.value("name", "");
        auto ami = aws::GetParameter(ssm, parameter);
        if (!ami) {
          aws::AwsError e = ami.error();
          if (e.code == "ParameterNotFound") {
            e.message = "the AMI parameter " + parameter + " does not exist in this region";
          }
          return e;
        }
        out.parameters.push_back({name, *ami, false});
        out.notes.push_back(name + " " + *ami + " (" + parameter + ")");
      }
    } else if (kind == "asset") {
      const std::string asset = source.value("asset", "");
      auto it = in.assets.find(asset);
      if (it == in.assets.end()) return Problem("asset " + asset + " was not uploaded");
      out.parameters.push_back(
          {name, source.value("field", "") == "sha256" ? it->second.sha256 : it->second.key,
           false});
    } else if (source.contains("value")) {
      out.parameters.push_back({name,
                                source["value"].is_string() ? source["value"].get<std::string>()
                                                            : source["value"].dump(),
                                false});
    } else {
      return Problem("parameter " + name + ": unknown source \"" + kind + "\"");
    }
  }
  // The zone follows the subnet chosen above.
  if (source_of("AvailabilityZone") != nullptr) {
    if (!subnet_zone.empty()) {
      out.parameters.push_back({"AvailabilityZone", subnet_zone, false});
    } else if (!keep("AvailabilityZone")) {
      return Problem("cannot tell the availability zone of the node's subnet");
    }
  }
  return out;
}

}  // namespace sr::deploy
