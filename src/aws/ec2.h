// The EC2 calls deploy and status make: the VPC and subnets nodes go into, and instance state.
#ifndef STACKS_RUNNER_AWS_EC2_H_
#define STACKS_RUNNER_AWS_EC2_H_

#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"

namespace sr::aws {

struct Vpc {
  std::string id;
  std::string cidr;
  bool is_default = false;
};

struct Subnet {
  std::string id;
  std::string vpc_id;
  std::string availability_zone;
  std::string cidr;
  bool map_public_ip_on_launch = false;
  bool default_for_az = false;
};

struct Instance {
  std::string id;
  std::string state;  // pending, running, stopping, stopped, ...
  std::string instance_type;
  std::string availability_zone;
  std::string private_ip;
  std::string public_ip;
  std::string launch_time;
};

class Ec2Api {
 public:
  explicit Ec2Api(AwsClient client) : client_(std::move(client)) {}

  AwsResult<std::optional<Vpc>> DefaultVpc();
  AwsResult<std::optional<Vpc>> DescribeVpc(const std::string& vpc_id);
  AwsResult<std::vector<Subnet>> SubnetsOfVpc(const std::string& vpc_id);
  AwsResult<std::vector<Subnet>> DescribeSubnets(const std::vector<std::string>& subnet_ids);
  AwsResult<std::vector<Instance>> DescribeInstances(const std::vector<std::string>& ids);
  // Instances tagged aws:cloudformation:stack-name=<stack> that are not terminated.
  AwsResult<std::vector<Instance>> InstancesOfStack(const std::string& stack_name);

 private:
  AwsResult<std::vector<Vpc>> Vpcs(const NameValueList& params);
  AwsResult<std::vector<Subnet>> Subnets(const NameValueList& params);
  AwsResult<std::vector<Instance>> Instances(const NameValueList& params);
  AwsClient client_;
};

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_EC2_H_
