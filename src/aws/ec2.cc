#include "aws/ec2.h"

namespace sr::aws {

AwsResult<std::vector<Vpc>> Ec2Api::Vpcs(const NameValueList& params) {
  auto r = client_.CallQuery("DescribeVpcs", params);
  if (!r) return r.error();
  std::vector<Vpc> vpcs;
  for (auto v : ListItems(r->root(), "vpcSet")) {
    vpcs.push_back({Text(v, "vpcId"), Text(v, "cidrBlock"), Text(v, "isDefault") == "true"});
  }
  return vpcs;
}

AwsResult<std::optional<Vpc>> Ec2Api::DefaultVpc() {
  auto vpcs = Vpcs({{"Filter.1.Name", "isDefault"}, {"Filter.1.Value.1", "true"}});
  if (!vpcs) return vpcs.error();
  if (vpcs->empty()) return std::optional<Vpc>();
  return std::optional<Vpc>(vpcs->front());
}

AwsResult<std::optional<Vpc>> Ec2Api::DescribeVpc(const std::string& vpc_id) {
  auto vpcs = Vpcs({{"VpcId.1", vpc_id}});
  if (!vpcs) {
    if (vpcs.error().code == "InvalidVpcID.NotFound") return std::optional<Vpc>();
    return vpcs.error();
  }
  if (vpcs->empty()) return std::optional<Vpc>();
  return std::optional<Vpc>(vpcs->front());
}

AwsResult<std::vector<Subnet>> Ec2Api::Subnets(const NameValueList& params) {
  std::vector<Subnet> subnets;
  std::string token;
  for (int page = 0; page < 100; ++page) {
    NameValueList p = params;
    if (!token.empty()) p.emplace_back("NextToken", token);
    auto r = client_.CallQuery("DescribeSubnets", p);
    if (!r) return r.error();
    for (auto s : ListItems(r->root(), "subnetSet")) {
      subnets.push_back({Text(s, "subnetId"), Text(s, "vpcId"), Text(s, "availabilityZone"),
                         Text(s, "cidrBlock"), Text(s, "mapPublicIpOnLaunch") == "true",
                         Text(s, "defaultForAz") == "true"});
    }
    token = Text(r->root(), "nextToken");
    if (token.empty()) break;
  }
  return subnets;
}

AwsResult<std::vector<Subnet>> Ec2Api::SubnetsOfVpc(const std::string& vpc_id) {
  return Subnets({{"Filter.1.Name", "vpc-id"}, {"Filter.1.Value.1", vpc_id}});
}

AwsResult<std::vector<Subnet>> Ec2Api::DescribeSubnets(const std::vector<std::string>& ids) {
  NameValueList params;
  for (size_t i = 0; i < ids.size(); ++i) {
    params.emplace_back("SubnetId." + std::to_string(i + 1), ids[i]);
  }
  return Subnets(params);
}

AwsResult<std::vector<Instance>> Ec2Api::Instances(const NameValueList& params) {
  std::vector<Instance> instances;
  std::string token;
  for (int page = 0; page < 100; ++page) {
    NameValueList p = params;
    if (!token.empty()) p.emplace_back("NextToken", token);
    auto r = client_.CallQuery("DescribeInstances", p);
    if (!r) return r.error();
    for (auto reservation : ListItems(r->root(), "reservationSet")) {
      for (auto i : ListItems(reservation, "instancesSet")) {
        instances.push_back({Text(i, "instanceId"), Text(i, "instanceState/name"),
                             Text(i, "instanceType"), Text(i, "placement/availabilityZone"),
                             Text(i, "privateIpAddress"), Text(i, "ipAddress"),
                             Text(i, "launchTime")});
      }
    }
    token = Text(r->root(), "nextToken");
    if (token.empty()) break;
  }
  return instances;
}

AwsResult<std::vector<Instance>> Ec2Api::DescribeInstances(const std::vector<std::string>& ids) {
  NameValueList params;
  for (size_t i = 0; i < ids.size(); ++i) {
    params.emplace_back("InstanceId." + std::to_string(i + 1), ids[i]);
  }
  return Instances(params);
}

AwsResult<std::vector<Instance>> Ec2Api::InstancesOfStack(const std::string& stack_name) {
  return Instances({{"Filter.1.Name", "tag:aws:cloudformation:stack-name"},
                    {"Filter.1.Value.1", stack_name},
                    {"Filter.2.Name", "instance-state-name"},
                    {"Filter.2.Value.1", "pending"},
                    {"Filter.2.Value.2", "running"},
                    {"Filter.2.Value.3", "stopping"},
                    {"Filter.2.Value.4", "stopped"}});
}

}  // namespace sr::aws
