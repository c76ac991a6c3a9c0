// Runs the real cdk-nag (AwsSolutionsChecks, cdk-nag 2.x) over CloudFormation templates, in one
// Node.js process for all of them, and prints every finding as JSON on stdout:
//
//   node run_cdk_nag.js OUT.json REPORT_DIR TEMPLATE.json...
//
// Each template is loaded with cloudformation_include.CfnInclude into a stack of its own. The
// parameters a template has no Default for are given the values deploy would give them (a VPC
// CIDR of 172.31.0.0/16, ids of the right shape), so that cdk-nag sees values, not references,
// and cannot fail to validate a rule. cdk-nag reads the suppressions in each resource's
// Metadata.cdk_nag.rules_to_suppress.
//
// OUT.json: {"findings": [{"template", "resource", "ruleId", "findingId", "level",
//          "compliance": "Non-Compliant" | "Suppressed" | "ValidationFailure", "reason"}]}.
// cdk-nag's own reports (AwsSolutions-<stack>-NagReport.json) are written to REPORT_DIR. (The
// findings do not go to stdout: aws-cdk-lib prints its own validation notes there.)
'use strict';

const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks, NagReportFormat } = require('cdk-nag');

const [outFile, reportDir, ...templates] = process.argv.slice(2);
if (!outFile || !reportDir || templates.length === 0) {
  process.stderr.write('usage: node run_cdk_nag.js OUT.json REPORT_DIR TEMPLATE.json...\n');
  process.exit(2);
}

// Values deploy gives the parameters of our templates (manifest.json says where each comes from).
const zeros = '0'.repeat(64);
function parameterValue(name, type) {
  if (name === 'VpcCidr') return '172.31.0.0/16';
  if (type === 'AWS::EC2::VPC::Id') return 'vpc-0123456789abcdef0';
  if (type === 'AWS::EC2::Subnet::Id') return 'subnet-0123456789abcdef0';
  if (type === 'List<AWS::EC2::Subnet::Id>') {
    return ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'];
  }
  if (type === 'AWS::EC2::AvailabilityZone::Name') return 'us-east-1a';
  if (type === 'AWS::EC2::Image::Id') return 'ami-0123456789abcdef0';
  if (name === 'NodeBinaryKey') return `bin/${zeros}/stacks-runner-linux-x86_64`;
  if (name === 'NodeBinarySha256') return zeros;
  if (type && type.startsWith('List<')) return ['x'];
  return 'x';
}

const findings = [];
const stackTemplate = new Map();  // stack name -> template path as given

function record(data, compliance, reason) {
  const stack = cdk.Stack.of(data.resource);
  findings.push({
    template: stackTemplate.get(stack.stackName),
    resource: data.resource.node.id,
    ruleId: data.ruleId,
    findingId: data.findingId || '',
    level: data.ruleLevel,
    compliance,
    reason: reason || '',
  });
}

// A NagLogger (cdk-nag's interface) that keeps what the test compares.
const logger = {
  onCompliance() {},
  onNotApplicable() {},
  onNonCompliance(data) { record(data, 'Non-Compliant'); },
  onSuppressed(data) { record(data, 'Suppressed', data.suppressionReason); },
  onError(data) { record(data, 'ValidationFailure', data.errorMessage); },
  onSuppressedError(data) { record(data, 'Suppressed', data.errorSuppressionReason); },
};

const app = new cdk.App({ outdir: reportDir, analyticsReporting: false });
templates.forEach((file, i) => {
  const body = require(path.resolve(file));
  const parameters = {};
  for (const [name, p] of Object.entries(body.Parameters || {})) {
    if (p.Default === undefined) parameters[name] = parameterValue(name, p.Type);
  }
  const stackName = `t${i}-${path.basename(path.dirname(file))}-${path.basename(file, '.template.json')}`
    .replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128);
  const stack = new cdk.Stack(app, stackName, {
    stackName,
    synthesizer: new cdk.LegacyStackSynthesizer(),
  });
  stackTemplate.set(stackName, file);
  new CfnInclude(stack, 'Template', { templateFile: file, parameters });
});

cdk.Aspects.of(app).add(new AwsSolutionsChecks({
  verbose: true,
  reports: true,
  reportFormats: [NagReportFormat.JSON],
  additionalLoggers: [logger],
}));
app.synth();

fs.writeFileSync(outFile, JSON.stringify({ findings }, null, 1) + '\n');
