#!/usr/bin/env python3
"""Writes deliberately insecure variants of synthesized templates, for tests/cdk-nag.

    patch_variants.py BASE_DIR OUT_ROOT

BASE_DIR holds stacks-common, stacks-single-node and stacks-ha-nodes templates as synth writes
them; each variant goes to OUT_ROOT/patched-NAME/ with only the templates it changes, and
OUT_ROOT/expected.json maps each variant to the rule ids that must find it (unsuppressed).
Configuration cannot produce these (stacks-runner refuses them or never writes them), which is
why they are patched in; a change to a logical id used here fails the test loudly.
"""
import copy
import json
import os
import sys

base_dir, out_root = sys.argv[1], sys.argv[2]


def load(stack):
    with open(os.path.join(base_dir, stack + ".template.json")) as f:
        return json.load(f)


def resource(template, logical_id):
    try:
        return template["Resources"][logical_id]
    except KeyError:
        sys.exit(f"patch_variants.py: no resource {logical_id} in the base templates")


variants = {}


def variant(name, expected):
    def register(fn):
        variants[name] = (fn, expected)
        return fn
    return register


@variant("unencrypted-volumes", ["AwsSolutions-EC26", "StacksRunner-LaunchTemplateEncrypted"])
def unencrypted(t):
    resource(t["stacks-single-node"], "DataVolume")["Properties"]["Encrypted"] = False
    for m in resource(t["stacks-single-node"], "NodeInstance")["Properties"]["BlockDeviceMappings"]:
        m["Ebs"]["Encrypted"] = False
    lt = resource(t["stacks-ha-nodes"], "LaunchTemplate")["Properties"]["LaunchTemplateData"]
    for m in lt["BlockDeviceMappings"]:
        m["Ebs"]["Encrypted"] = False
    return ["stacks-single-node", "stacks-ha-nodes"]


@variant("imdsv1", ["StacksRunner-Imdsv2"])
def imdsv1(t):
    resource(t["stacks-single-node"], "NodeInstance")["Properties"]["MetadataOptions"][
        "HttpTokens"] = "optional"
    del resource(t["stacks-ha-nodes"], "LaunchTemplate")["Properties"]["LaunchTemplateData"][
        "MetadataOptions"]
    return ["stacks-single-node", "stacks-ha-nodes"]


@variant("wildcard-iam", ["AwsSolutions-IAM5", "AwsSolutions-IAM4"])
def wildcard_iam(t):
    role = resource(t["stacks-common"], "NodeRole")["Properties"]
    role["Policies"][0]["PolicyDocument"]["Statement"].append(
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Sid": "Everything"})
    role["ManagedPolicyArns"].append(
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"})
    return ["stacks-common"]


@variant("all-ports-open", ["AwsSolutions-EC23", "StacksRunner-RpcNotPublic",
                            "StacksRunner-OnlyP2pPublic"])
def all_ports_open(t):
    for stack in ("stacks-single-node", "stacks-ha-nodes"):
        resource(t[stack], "NodeSecurityGroup")["Properties"]["SecurityGroupIngress"].append(
            {"IpProtocol": "-1", "CidrIpv6": "::/0", "Description": "everything"})
    resource(t["stacks-ha-nodes"], "AlbSecurityGroup")["Properties"]["SecurityGroupIngress"][0][
        "CidrIp"] = "0.0.0.0/0"
    return ["stacks-single-node", "stacks-ha-nodes"]


@variant("secret-in-user-data", ["StacksRunner-UserDataSecrets"])
def secret_in_user_data(t):
    user_data = resource(t["stacks-single-node"], "NodeInstance")["Properties"]["UserData"]
    sub = user_data["Fn::Base64"]["Fn::Sub"]
    sub[0] = sub[0].replace("set -euo pipefail\n", "set -euo pipefail\n"
                            "export BITCOIN_RPC_PASSWORD=${RpcPassword}\n")
    sub[1]["RpcPassword"] = "correct-horse-battery"
    return ["stacks-single-node"]


@variant("open-buckets", ["AwsSolutions-S2", "AwsSolutions-S10"])
def open_buckets(t):
    bucket = resource(t["stacks-common"], "AssetsBucket")["Properties"]
    bucket["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] = False
    del t["stacks-common"]["Resources"]["AssetsBucketPolicy"]
    return ["stacks-common"]


@variant("no-alb-logs", ["AwsSolutions-ELB2"])
def no_alb_logs(t):
    for a in resource(t["stacks-ha-nodes"], "LoadBalancer")["Properties"]["LoadBalancerAttributes"]:
        if a["Key"] == "access_logs.s3.enabled":
            a["Value"] = "false"
    return ["stacks-ha-nodes"]


@variant("no-detailed-monitoring", ["AwsSolutions-EC28"])
def no_detailed_monitoring(t):
    resource(t["stacks-single-node"], "NodeInstance")["Properties"]["Monitoring"] = False
    return ["stacks-single-node"]


@variant("plaintext-topic", ["AwsSolutions-SNS3", "AwsSolutions-KMS5"])
def plaintext_topic(t):
    stack = t["stacks-single-node"]
    resource(stack, "AlarmTopicKey")["Properties"]["EnableKeyRotation"] = False
    del resource(stack, "AlarmTopic")["Properties"]["KmsMasterKeyId"]
    policy = resource(stack, "AlarmTopicPolicy")["Properties"]["PolicyDocument"]
    policy["Statement"] = [s for s in policy["Statement"] if s.get("Effect") != "Deny"]
    return ["stacks-single-node"]


@variant("secret-without-rotation", ["AwsSolutions-SMG4"])
def secret_without_rotation(t):
    # A signer's secret as the single-node stack makes it, without its SMG4 suppression.
    t["stacks-single-node"]["Resources"]["UnsuppressedSecret"] = {
        "Type": "AWS::SecretsManager::Secret", "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {"Name": {"Fn::Sub": "${AWS::StackName}/signer-key"}}}
    return ["stacks-single-node"]


@variant("secrets-on-shared-role", ["StacksRunner-SecretsOnSharedRole"])
def secrets_on_shared_role(t):
    # The defect this rule exists for: a node stack granting secrets to the common stack's role,
    # which every follower of the account and region runs with.
    policy = resource(t["stacks-single-node"], "NodeStackPolicy")["Properties"]
    assert policy["Roles"] == [{"Fn::ImportValue": "StacksNodeInstanceRoleName"}], policy["Roles"]
    policy["PolicyDocument"]["Statement"].append(
        {"Sid": "ReadNodeSecrets", "Effect": "Allow",
         "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
         "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:signer-AbCdEf"})
    return ["stacks-single-node"]


base = {s: load(s) for s in ("stacks-common", "stacks-single-node", "stacks-ha-nodes")}
expected = {}
for name, (fn, rules) in variants.items():
    templates = copy.deepcopy(base)
    changed = fn(templates)
    out = os.path.join(out_root, "patched-" + name)
    os.makedirs(out, exist_ok=True)
    for stack in changed:
        with open(os.path.join(out, stack + ".template.json"), "w") as f:
            json.dump(templates[stack], f, indent=1)
    expected["patched-" + name] = rules
with open(os.path.join(out_root, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
