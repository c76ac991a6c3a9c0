#include "templates/alarms.h"
#include "templates/dashboard.h"
#include "templates/iam.h"
#include "templates/nag_suppressions.h"
#include "templates/names.h"
#include "templates/node_parts.h"
#include "templates/node_stacks.h"
#include "templates/secrets.h"
#include "templates/security_groups.h"
#include "templates/tags.h"
#include "templates/user_data.h"

namespace sr::templates {

bool SingleNodeHasOwnRole(config::Role role) { return role != config::Role::kFollower; }

Template BuildSingleNodeStack(const config::Config& config, const NodeSettingsAsset& settings) {
  const StackIdentity identity = IdentityOf(StackKind::kSingleNode, config.role);
  const bool ebs = config.data_volume.type != config::VolumeType::kInstanceStore;
  Template t("stacks-runner: a single Stacks " + std::string(config::RoleName(config.role)) +
             " node on " + std::string(config.network->name));
  AddNodeParameters(t, config, SubnetShape::kOneSubnet);
  AddNodeSecurityGroup(t, config);

  // A signer's or miner's secrets: the ones the configuration does not name are created here.
  const NodeSecretRefs secrets = NodeSecretsOf(config);
  AddNodeSecrets(t, config, secrets);

  // A signer or miner runs with a role of its own, with the runtime grants the common stack's
  // shared role has (the same function builds both); a follower runs with the shared role.
  const bool own_role = SingleNodeHasOwnRole(config.role);
  if (own_role) {
    AddNodeRole(t, config,
                "Stacks " + std::string(config::RoleName(config.role)) + " of stack " +
                    identity.stack_name +
                    ": read node assets, publish metrics and logs, Session Manager access, its "
                    "own secrets (no other node has this role)",
                ImportedAssetsBucket());
  }

  // This stack's own grant, on the stack's own role for a signer or miner (read its own secrets,
  // and store the first boot's keys in the ones created here), on the shared role for a
  // follower (which has no secrets): signal this stack; nothing else.
  Resource policy{"AWS::IAM::Policy"};
  policy.properties["PolicyName"] = cfn::Sub("${AWS::StackName}-node");
  policy.properties["Roles"] = Json::array(
      {own_role ? cfn::Ref(ids::kNodeRole) : cfn::ImportValue(kExportRoleName)});
  Json signal = Statement("Allow", {"cloudformation:SignalResource"}, cfn::Ref("AWS::StackId"));
  signal["Sid"] = "SignalThisStack";
  std::vector<Json> statements = {signal};
  // Secrets only ever go to a role of the stack's own.
  if (own_role) {
    for (Json& s : SecretStatements(secrets)) statements.push_back(std::move(s));
  }
  policy.properties["PolicyDocument"] = PolicyDocument(std::move(statements));
  t.AddResource(ids::kNodeStackPolicy, std::move(policy));

  if (ebs) {
    // A volume of its own, attached at launch (Instance.Volumes) so the bootstrap finds it
    // before it signals; it outlives the instance.
    Resource volume{"AWS::EC2::Volume"};
    const Json ebs_settings = DataVolumeEbs(config);
    volume.properties["AvailabilityZone"] = cfn::Ref(params::kAvailabilityZone);
    volume.properties["Size"] = ebs_settings["VolumeSize"];
    volume.properties["VolumeType"] = ebs_settings["VolumeType"];
    if (ebs_settings.contains("Iops")) volume.properties["Iops"] = ebs_settings["Iops"];
    if (ebs_settings.contains("Throughput")) {
      volume.properties["Throughput"] = ebs_settings["Throughput"];
    }
    volume.properties["Encrypted"] = true;
    volume.properties["MultiAttachEnabled"] = false;
    volume.properties["Tags"] = StandardTags(config, identity.stack_name + "-data");
    volume.deletion_policy = DataVolumeDeletionPolicy(config);
    volume.update_replace_policy = volume.deletion_policy;
    t.AddResource(ids::kDataVolume, std::move(volume));
  }

  Resource instance{"AWS::EC2::Instance"};
  Json& p = instance.properties;
  p["ImageId"] = cfn::Ref(params::kImageId);
  p["InstanceType"] = config.instance_type;
  p["AvailabilityZone"] = cfn::Ref(params::kAvailabilityZone);
  p["SubnetId"] = cfn::Ref(params::kSubnetId);
  p["SecurityGroupIds"] = Json::array({cfn::GetAtt(ids::kNodeSecurityGroup, "GroupId")});
  p["IamInstanceProfile"] = own_role ? cfn::Ref(ids::kNodeInstanceProfile)
                                     : cfn::ImportValue(kExportInstanceProfileName);
  p["MetadataOptions"] = RequireImdsV2();
  p["Monitoring"] = true;
  p["EbsOptimized"] = true;
  p["PropagateTagsToVolumeOnCreation"] = true;
  p["BlockDeviceMappings"] = Json::array(
      {Json{{"DeviceName", "/dev/xvda"}, {"Ebs", RootVolumeEbs(config, MappingOf::kInstance)}}});
  if (ebs) {
    p["Volumes"] =
        Json::array({Json{{"Device", "/dev/sdf"}, {"VolumeId", cfn::Ref(ids::kDataVolume)}}});
  }
  const UserDataInputs user_data{
      .placement = NodePlacement::kSingleNode,
      .settings = &settings,
      .instance_store = !ebs,
      .signer_secret = secrets.signer.SubText(),
      .miner_secret = secrets.miner.SubText(),
      .bitcoind_secret = secrets.bitcoind.SubText(),
      .identity_handle = IdentitySignalCount(config.role) > 0 ? ids::kNodeIdentityHandle : "",
  };
  p["UserData"] = UserData(user_data);
  p["Tags"] = StandardTags(config, identity.stack_name);
  instance.depends_on = {ids::kNodeStackPolicy};
  instance.creation_policy = Json{
      {"ResourceSignal",
       Json{{"Count", 1}, {"Timeout", "PT" + std::to_string(config.bootstrap_timeout_min) + "M"}}}};
  instance.metadata = NagMetadata(
      {{"AwsSolutions-EC29",
        "The instance keeps no state: the chain is on DataVolume (snapshotted on deletion for "
        "signers and miners); termination protection would make CloudFormation fail to replace "
        "the instance on update and to delete the stack"}});
  t.AddResource(ids::kNodeInstance, std::move(instance));
  AddIdentityWaitCondition(t, config);

  const std::vector<std::string> alarms = AddAlarms(t, config, AlarmScope::kInstance);
  AddDashboard(t, config, SingleNodeDashboardBody(config, alarms));

  t.AddOutput("nodeinstanceid", Json{{"Description", "EC2 instance id of the node"},
                                     {"Value", cfn::Ref(ids::kNodeInstance)}});
  t.AddOutput("region", Json{{"Value", cfn::Ref("AWS::Region")}});
  t.AddOutput("nodeprivateip", Json{{"Value", cfn::GetAtt(ids::kNodeInstance, "PrivateIp")}});
  t.AddOutput("rpcurl",
              Json{{"Description", "Stacks RPC, reachable from inside the VPC"},
                   {"Value", cfn::Sub("http://${" + std::string(ids::kNodeInstance) +
                                      ".PrivateIp}:" + std::to_string(config.rpc_port))}});
  if (ebs) t.AddOutput("datavolumeid", Json{{"Value", cfn::Ref(ids::kDataVolume)}});
  t.AddOutput("alarmtopicarn", Json{{"Description", "SNS topic the node's alarms notify"},
                                    {"Value", cfn::Ref(ids::kAlarmTopic)}});
  AddSignerMinerOutputs(t, config, secrets);
  if (own_role) {
    t.AddOutput(outputs::kNodeRoleArn,
                Json{{"Description",
                      "The node's own instance role: the only principal that may read its "
                      "secrets (a customer managed KMS key of a secret you name must let it "
                      "decrypt)"},
                     {"Value", cfn::GetAtt(ids::kNodeRole, "Arn")}});
  }
  return t;
}

}  // namespace sr::templates
