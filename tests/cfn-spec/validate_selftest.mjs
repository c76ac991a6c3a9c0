#!/usr/bin/env node
// Proves validate.mjs can fail: a valid template (which exercises the leniencies CloudFormation
// allows) must pass clean, and each deliberately broken variant of it must be reported with the
// expected path and message.
//
//   node validate_selftest.mjs [--verbose]     (--verbose: list every problem of every case)

import { ResourceSpec, validateTemplate } from './validate.mjs';

const tags = (...extra) => [{ Key: 'Project', Value: 'AWSStacks' }, ...extra];

// A small template touching every section and most intrinsic functions, valid as CloudFormation
// would take it.
function validTemplate() {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'validate.mjs self-test',
    Parameters: {
      SubnetIds: { Type: 'List<AWS::EC2::Subnet::Id>' },
      SubnetId: { Type: 'AWS::EC2::Subnet::Id' },
      ImageId: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: '/aws/service/ami' },
      Stage: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'dev' },
      Size: { Type: 'Number', Default: 20, MinValue: 1 },
    },
    Mappings: {
      RegionAccounts: { 'us-east-1': { AccountId: '127311923021' }, 'eu-west-1': { AccountId: '156460612806' } },
    },
    Conditions: {
      IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'IsDev' }] },
    },
    Resources: {
      Bucket: {
        Type: 'AWS::S3::Bucket',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BucketName: { 'Fn::Sub': '${AWS::StackName}-${Stage}-assets' },
          VersioningConfiguration: { Status: 'Enabled' },
          Tags: tags({ Key: 'Stage', Value: { Ref: 'Stage' } }),
        },
      },
      BucketPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'Bucket' },
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Sub': ['arn:${AWS::Partition}:iam::${Account}:root',
                { Account: { 'Fn::FindInMap': ['RegionAccounts', { Ref: 'AWS::Region' }, 'AccountId'] } }] } },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] },
              Condition: { Bool: { 'aws:SecureTransport': 'true' } },
            }],
          },
        },
      },
      Group: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'self-test',
          // "22" for an integer: CloudFormation converts it.
          SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: '22', ToPort: 22, CidrIp: '10.0.0.0/8' }],
          Tags: tags(),
        },
      },
      Volume: {
        Type: 'AWS::EC2::Volume',
        DeletionPolicy: 'Snapshot',
        Properties: {
          AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
          Size: { Ref: 'Size' },
          Encrypted: 'true',
          Iops: { 'Fn::If': ['IsProd', 6000, { Ref: 'AWS::NoValue' }] },
          Tags: tags(),
        },
      },
      Instance: {
        Type: 'AWS::EC2::Instance',
        DependsOn: 'BucketPolicy',
        CreationPolicy: { ResourceSignal: { Count: 1, Timeout: 'PT30M' } },
        Properties: {
          ImageId: { Ref: 'ImageId' },
          InstanceType: 'm5.large',
          SubnetId: { Ref: 'SubnetId' },
          SecurityGroupIds: [{ 'Fn::GetAtt': 'Group.GroupId' }],
          PropagateTagsToVolumeOnCreation: true,
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3' } }],
          Volumes: [{ Device: '/dev/sdf', VolumeId: { Ref: 'Volume' } }],
          UserData: { 'Fn::Base64': { 'Fn::Sub': ['#!/bin/bash\necho ${!HOME} $HOME ${Bucket} ${Group.GroupId} ${Extra}\n',
            { Extra: { 'Fn::ImportValue': 'SomeExport' } }] } },
          Tags: tags(),
        },
      },
      LaunchTemplate: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: {
          LaunchTemplateData: {
            ImageId: { Ref: 'ImageId' },
            BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, Throughput: 125 } }],
            TagSpecifications: [
              { ResourceType: 'instance', Tags: tags() },
              { ResourceType: 'volume', Tags: tags() },
            ],
          },
          TagSpecifications: [{ ResourceType: 'launch-template', Tags: tags() }],
        },
      },
      Group2: {
        Type: 'AWS::AutoScaling::AutoScalingGroup',
        Condition: 'Either',
        UpdatePolicy: { AutoScalingRollingUpdate: { MaxBatchSize: 1, PauseTime: 'PT5M' } },
        Properties: {
          MinSize: '1',
          MaxSize: 2,
          VPCZoneIdentifier: { Ref: 'SubnetIds' },
          LaunchTemplate: {
            LaunchTemplateId: { Ref: 'LaunchTemplate' },
            Version: { 'Fn::GetAtt': ['LaunchTemplate', 'LatestVersionNumber'] },
          },
          Tags: [{ Key: 'Project', Value: 'AWSStacks', PropagateAtLaunch: true }],
        },
      },
    },
    Outputs: {
      BucketArn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-bucket' } } },
      Subnets: { Value: { 'Fn::Join': [',', { Ref: 'SubnetIds' }] } },
      Ip: { Condition: 'IsProd', Value: { 'Fn::Sub': 'http://${Instance.PrivateIp}:80' } },
    },
  };
}

// The Fn::FindInMap of the bucket policy, and its path.
const findInMap = (t) =>
  t.Resources.BucketPolicy.Properties.PolicyDocument.Statement[0].Principal.AWS['Fn::Sub'][1].Account['Fn::FindInMap'];
const FIND_IN_MAP =
  'Resources.BucketPolicy.Properties.PolicyDocument.Statement[0].Principal.AWS.Fn::Sub[1].Account.Fn::FindInMap';

// Each case breaks the valid template and names the problem expected: [path, message pattern].
const CASES = [
  ['unknown resource type', (t) => { t.Resources.Bucket.Type = 'AWS::S3::Bukket'; },
    ['Resources.Bucket.Type', /unknown resource type "AWS::S3::Bukket"/]],
  ['unknown property', (t) => { t.Resources.Bucket.Properties.BucketNam = 'x'; },
    ['Resources.Bucket.Properties.BucketNam', /unknown property "BucketNam"/]],
  ['unknown nested property', (t) => { t.Resources.Instance.Properties.BlockDeviceMappings[0].Ebs.Throughput = 125; },
    ['Resources.Instance.Properties.BlockDeviceMappings[0].Ebs.Throughput', /unknown property "Throughput"/]],
  ['missing required property', (t) => { delete t.Resources.Group.Properties.GroupDescription; },
    ['Resources.Group.Properties.GroupDescription', /missing required property "GroupDescription"/]],
  ['missing required nested property', (t) => { delete t.Resources.Bucket.Properties.VersioningConfiguration.Status; },
    ['Resources.Bucket.Properties.VersioningConfiguration.Status', /missing required property "Status"/]],
  ['scalar for a list', (t) => { t.Resources.Bucket.Properties.Tags = 'Project=AWSStacks'; },
    ['Resources.Bucket.Properties.Tags', /expected a list/]],
  ['string for an object', (t) => { t.Resources.Bucket.Properties.VersioningConfiguration = 'Enabled'; },
    ['Resources.Bucket.Properties.VersioningConfiguration', /expected an object \(VersioningConfiguration\)/]],
  ['text for an integer', (t) => { t.Resources.Group.Properties.SecurityGroupIngress[0].FromPort = 'ssh'; },
    ['Resources.Group.Properties.SecurityGroupIngress[0].FromPort', /expected an integer/]],
  ['fraction for an integer', (t) => { t.Resources.Volume.Properties.Size = 1.5; },
    ['Resources.Volume.Properties.Size', /expected an integer/]],
  ['list for a boolean', (t) => { t.Resources.Volume.Properties.Encrypted = [true]; },
    ['Resources.Volume.Properties.Encrypted', /expected a boolean, got a list/]],
  ['object for a string', (t) => { t.Resources.Instance.Properties.InstanceType = { Type: 'm5.large' }; },
    ['Resources.Instance.Properties.InstanceType', /expected a string, got an object/]],
  ['value outside the allowed values', (t) => { t.Resources.Bucket.Properties.VersioningConfiguration.Status = 'On'; },
    ['Resources.Bucket.Properties.VersioningConfiguration.Status', /"On" is not one of/]],
  ['list parameter for a string', (t) => { t.Resources.Instance.Properties.SubnetId = { Ref: 'SubnetIds' }; },
    ['Resources.Instance.Properties.SubnetId', /Ref yields a list/]],
  ['string function for a list', (t) => { t.Resources.Group2.Properties.VPCZoneIdentifier = { Ref: 'SubnetId' }; },
    ['Resources.Group2.Properties.VPCZoneIdentifier', /expected a list of strings, but Ref yields a string/]],
  ['null value', (t) => { t.Resources.Bucket.Properties.BucketName = null; },
    ['Resources.Bucket.Properties.BucketName', /null values are not allowed/]],
  ['dangling Ref', (t) => { t.Resources.BucketPolicy.Properties.Bucket = { Ref: 'Buckett' }; },
    ['Resources.BucketPolicy.Properties.Bucket.Ref', /Ref to "Buckett", which is neither a parameter nor a resource/]],
  ['unknown pseudo parameter', (t) => { t.Outputs.BucketArn.Value = { Ref: 'AWS::Regoin' }; },
    ['Outputs.BucketArn.Value.Ref', /unknown pseudo parameter/]],
  ['bad GetAtt attribute', (t) => { t.Outputs.BucketArn.Value = { 'Fn::GetAtt': ['Bucket', 'Arm'] }; },
    ['Outputs.BucketArn.Value.Fn::GetAtt', /AWS::S3::Bucket "Bucket" has no attribute "Arm"/]],
  ['GetAtt of a missing resource',
    (t) => { t.Resources.Instance.Properties.SecurityGroupIds = [{ 'Fn::GetAtt': 'Grop.GroupId' }]; },
    ['Resources.Instance.Properties.SecurityGroupIds[0].Fn::GetAtt', /"Grop", which is not a resource/]],
  ['unresolved Sub variable',
    (t) => { t.Resources.Bucket.Properties.BucketName = { 'Fn::Sub': '${AWS::StackName}-${Stag}' }; },
    ['Resources.Bucket.Properties.BucketName.Fn::Sub', /Fn::Sub variable \$\{Stag\} does not resolve/]],
  ['shell variable in a Sub', (t) => {
    t.Resources.Instance.Properties.UserData['Fn::Base64']['Fn::Sub'][0] = 'echo ${HOME}';
  }, ['Resources.Instance.Properties.UserData.Fn::Base64.Fn::Sub[0]', /\$\{HOME\} does not resolve.*\$\{!HOME\}/]],
  ['bad Sub attribute', (t) => { t.Outputs.Ip.Value = { 'Fn::Sub': '${Instance.PrivateIP}' }; },
    ['Outputs.Ip.Value.Fn::Sub', /has no attribute "PrivateIP"/]],
  ['list parameter in a Sub', (t) => { t.Outputs.Ip.Value = { 'Fn::Sub': '${SubnetIds}' }; },
    ['Outputs.Ip.Value.Fn::Sub', /list parameter/]],
  ['missing Project tag', (t) => { t.Resources.Group.Properties.Tags = [{ Key: 'Name', Value: 'x' }]; },
    ['Resources.Group.Properties.Tags', /missing the Project=AWSStacks tag/]],
  ['no Tags at all', (t) => { delete t.Resources.Volume.Properties.Tags; },
    ['Resources.Volume.Properties.Tags', /missing the Project=AWSStacks tag/]],
  ['wrong Project tag value', (t) => { t.Resources.Bucket.Properties.Tags[0].Value = 'Other'; },
    ['Resources.Bucket.Properties.Tags', /the Project tag is "Other"/]],
  ['untagged launch template', (t) => { delete t.Resources.LaunchTemplate.Properties.TagSpecifications; },
    ['Resources.LaunchTemplate.Properties.TagSpecifications', /ResourceType "launch-template"/]],
  ['untagged launched volumes', (t) => { t.Resources.LaunchTemplate.Properties.LaunchTemplateData.TagSpecifications.pop(); },
    ['Resources.LaunchTemplate.Properties.LaunchTemplateData.TagSpecifications', /ResourceType "volume"/]],
  ['instance volumes not tagged', (t) => { delete t.Resources.Instance.Properties.PropagateTagsToVolumeOnCreation; },
    ['Resources.Instance.Properties.PropagateTagsToVolumeOnCreation', /must be true/]],
  ['untagged auto scaling group', (t) => { t.Resources.Group2.Properties.Tags = []; },
    ['Resources.Group2.Properties.Tags', /missing the Project=AWSStacks tag/]],
  ['DependsOn a missing resource', (t) => { t.Resources.Instance.DependsOn = ['BucketPolicy', 'Nope']; },
    ['Resources.Instance.DependsOn[1]', /DependsOn "Nope", which is not a resource/]],
  ['DependsOn itself', (t) => { t.Resources.Instance.DependsOn = 'Instance'; },
    ['Resources.Instance.DependsOn', /cannot depend on itself/]],
  ['circular dependency', (t) => { t.Resources.Bucket.DependsOn = 'Instance'; },
    ['Resources.Bucket', /circular dependency: Bucket -> Instance -> Bucket/]],
  ['unknown template section', (t) => { t.Output = {}; },
    ['Output', /unknown template section "Output" \(did you mean "Outputs"\?\)/]],
  ['unknown resource attribute', (t) => { t.Resources.Bucket.DeletePolicy = 'Retain'; },
    ['Resources.Bucket.DeletePolicy', /unknown resource attribute/]],
  ['bad DeletionPolicy', (t) => { t.Resources.Bucket.DeletionPolicy = 'Keep'; },
    ['Resources.Bucket.DeletionPolicy', /"Keep" is not a valid DeletionPolicy/]],
  ['Snapshot policy on a bucket', (t) => { t.Resources.Bucket.UpdateReplacePolicy = 'Snapshot'; },
    ['Resources.Bucket.UpdateReplacePolicy', /does not support the Snapshot/]],
  ['bad parameter type', (t) => { t.Parameters.SubnetId.Type = 'AWS::EC2::Subnet'; },
    ['Parameters.SubnetId.Type', /not a CloudFormation parameter type/]],
  ['default outside allowed values', (t) => { t.Parameters.Stage.Default = 'test'; },
    ['Parameters.Stage.Default', /not among the AllowedValues/]],
  ['unknown mapping', (t) => {
    findInMap(t)[0] = 'Accounts';
  }, [`${FIND_IN_MAP}[0]`, /unknown mapping "Accounts"/]],
  ['unknown mapping key', (t) => {
    findInMap(t)[2] = 'Account';
  }, [`${FIND_IN_MAP}[2]`, /has no "Account"/]],
  ['unknown condition in Fn::If', (t) => { t.Resources.Volume.Properties.Iops['Fn::If'][0] = 'IsProduction'; },
    ['Resources.Volume.Properties.Iops.Fn::If[0]', /unknown condition "IsProduction"/]],
  ['unknown resource condition', (t) => { t.Resources.Group2.Condition = 'Neither'; },
    ['Resources.Group2.Condition', /unknown condition "Neither"/]],
  ['condition function in properties', (t) => { t.Resources.Volume.Properties.Encrypted = { 'Fn::Equals': ['a', 'a'] }; },
    ['Resources.Volume.Properties.Encrypted.Fn::Equals', /only be used in the Conditions section/]],
  ['too many Fn::Or operands', (t) => { t.Conditions.Either['Fn::Or'] = Array(11).fill({ Condition: 'IsProd' }); },
    ['Conditions.Either.Fn::Or', /takes 2 to 10 conditions, not 11/]],
  ['resource in a condition', (t) => { t.Conditions.IsProd['Fn::Equals'][0] = { Ref: 'Bucket' }; },
    ['Conditions.IsProd.Fn::Equals[0].Ref', /Conditions cannot refer to resource "Bucket"/]],
  ['intrinsic with extra keys', (t) => { t.Resources.BucketPolicy.Properties.Bucket = { Ref: 'Bucket', Extra: 1 }; },
    ['Resources.BucketPolicy.Properties.Bucket', /Ref must be the only key/]],
  ['unknown intrinsic function', (t) => { t.Resources.Bucket.Properties.BucketName = { 'Fn::Concat': ['a', 'b'] }; },
    ['Resources.Bucket.Properties.BucketName.Fn::Concat', /unknown intrinsic function/]],
  ['list output', (t) => { t.Outputs.Subnets.Value = { Ref: 'SubnetIds' }; },
    ['Outputs.Subnets.Value', /expected a string, but Ref yields a list/]],
  ['output without a value', (t) => { delete t.Outputs.Subnets.Value; },
    ['Outputs.Subnets.Value', /missing required property "Value"/]],
  ['duplicate export name', (t) => { t.Outputs.Subnets.Export = { Name: 'x' }; t.Outputs.Ip.Export = { Name: 'x' }; },
    ['Outputs.Ip.Export.Name', /also used by output Subnets/]],
  ['ImportValue of a resource',
    (t) => { t.Resources.Bucket.Properties.BucketName = { 'Fn::ImportValue': { 'Fn::Sub': '${Group}-x' } }; },
    ['Resources.Bucket.Properties.BucketName.Fn::ImportValue', /cannot depend on resource "Group"/]],
  ['resource signal too long', (t) => { t.Resources.Instance.CreationPolicy.ResourceSignal.Timeout = 'PT13H'; },
    ['Resources.Instance.CreationPolicy.ResourceSignal.Timeout', /longer than the 12 hours/]],
  ['unknown update policy key', (t) => { t.Resources.Group2.UpdatePolicy.AutoScalingRollingUpdate.BatchSize = 1; },
    ['Resources.Group2.UpdatePolicy.AutoScalingRollingUpdate.BatchSize', /unknown property "BatchSize"/]],
  ['user data over 16 KB', (t) => { t.Resources.Instance.Properties.UserData = { 'Fn::Base64': 'x'.repeat(17000) }; },
    ['Resources.Instance.Properties.UserData', /EC2 allows 16384/]],
  ['bad logical ID', (t) => { t.Resources['Wait-Handle'] = { Type: 'AWS::CloudFormation::WaitConditionHandle' }; },
    ['Resources.Wait-Handle', /logical IDs must be alphanumeric/]],
  ['too many resources', (t) => {
    const count = Object.keys(t.Resources).length;
    for (let i = count; i < 501; i++) t.Resources[`Extra${i}`] = { Type: 'AWS::CloudFormation::WaitConditionHandle' };
  }, ['Resources', /501 resources; CloudFormation allows 500/]],
  ['template over 1 MB', (t) => { t.Description = 'x'.repeat(1000); t.Metadata = { Filler: 'x'.repeat(1100000) }; },
    ['(template)', /CloudFormation takes templates of at most 1048576 bytes/]],
];

function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

const verbose = process.argv.includes('--verbose');

function run(spec) {
  let passed = 0;
  let failed = 0;
  const report = (ok, name, detail) => {
    if (ok) passed++; else failed++;
    console.log(`${ok ? 'ok' : 'not ok'} ${passed + failed} - ${name}${ok ? '' : `\n  ${detail.join('\n  ')}`}`);
  };
  const show = (list) => list.map((p) => `${p.path}: ${p.message}`);

  const valid = validateTemplate(validTemplate(), spec);
  report(valid.problems.length === 0 && valid.warnings.length === 0, 'a valid template passes clean',
    show([...valid.problems, ...valid.warnings]));

  for (const [name, breakIt, [path, pattern]] of CASES) {
    const template = clone(validTemplate());
    breakIt(template);
    const { problems } = validateTemplate(template, spec);
    const hit = problems.some((p) => p.path === path && pattern.test(p.message));
    report(hit, `caught: ${name}`, [`expected ${path}: ${pattern}`, 'got:', ...show(problems)]);
    if (hit && verbose) console.log(`  ${show(problems).join('\n  ')}`);
  }

  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

let spec;
try {
  spec = await ResourceSpec.load();
} catch (err) {
  console.error(`validate_selftest.mjs: ${err.message}`);
  process.exit(2);
}
process.exitCode = run(spec);
