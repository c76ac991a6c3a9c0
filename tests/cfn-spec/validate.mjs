#!/usr/bin/env node
// Validates CloudFormation templates against the resource specification AWS publishes in the npm
// package @aws-cdk/aws-service-spec (pinned in package.json / package-lock.json), independently of
// the C++ code that synthesizes them.
//
//   node validate.mjs [--require-tag KEY=VALUE] TEMPLATE.json...
//
// Prints one line per problem ("FILE: PATH: message"), warnings as "FILE: PATH: warning: ...", and
// one summary line per file. Exits 1 when any template has a problem, 2 on a usage error, else 0.
// The default required tag is Project=AWSStacks (the project tags everything it creates).
//
// Leniencies, chosen to match what CloudFormation itself accepts:
//   - Scalars are converted by CloudFormation: a string property takes a number or a boolean; an
//     integer property takes "42" (but not 4.2 or "4.2"), a number property takes "4.2", and a
//     boolean property takes "true"/"false". A list or an object is never accepted for a scalar.
//   - A value is accepted under the property's current type or any of its `previousTypes` (types
//     the property had in earlier spec versions, which CloudFormation keeps accepting), and under any
//     member of a union type.
//   - A `json` property takes any object, list or string (policy documents, dashboard bodies...).
//   - An intrinsic function is accepted wherever the kind of value it yields fits: Fn::Sub, Fn::Join,
//     Fn::Base64, Fn::ImportValue and Ref to a resource or a scalar parameter yield a scalar;
//     Fn::Split, Fn::GetAZs, Fn::Cidr, Ref to a List<...>/CommaDelimitedList parameter and
//     Ref AWS::NotificationARNs yield a list; Fn::GetAtt yields what the attribute's spec type
//     says; Fn::If is checked branch by branch; Fn::FindInMap, Fn::Select yield what the mapping or
//     list holds when that is known; Ref AWS::NoValue removes the property and is always accepted.
//   - Metadata is free-form (only its intrinsic functions are checked).
// Deliberately strict, because CloudFormation or the service rejects these at deploy time:
//   - null anywhere; an intrinsic function object with other keys beside it; condition functions
//     (Fn::Equals, Fn::And, ...) outside Conditions; Ref/Fn::GetAtt to resources inside Conditions;
//   - Fn::Sub variables that resolve to nothing (shell "${var}" in user data must be "${!var}");
//   - string values outside the spec's allowed values (enums of the resource schemas);
//   - circular dependencies; EC2 user data over 16 KB; resource signal timeouts over 12 hours.

import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------
// CloudFormation facts that are not part of the resource specification
// ---------------------------------------------------------------------------------------------

const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions',
  'Rules', 'Resources', 'Outputs', 'Transform',
]);

const RESOURCE_KEYS = new Set([
  'Type', 'Properties', 'DependsOn', 'Condition', 'CreationPolicy', 'UpdatePolicy', 'DeletionPolicy',
  'UpdateReplacePolicy', 'Metadata',
]);

// Quotas (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
const LIMITS = {
  templateBytes: 1024 * 1024, // template body stored in S3
  inlineTemplateBytes: 51200, // template body passed inline (TemplateBody)
  resources: 500,
  parameters: 200,
  outputs: 200,
  mappings: 200,
  descriptionBytes: 1024,
  logicalIdLength: 255,
  conditionOperands: [2, 10], // Fn::And and Fn::Or
  userDataBytes: 16 * 1024, // EC2: user data before base64 encoding
  resourceSignalTimeoutSeconds: 12 * 3600,
};

// Pseudo parameters; AWS::NotificationARNs is a list, AWS::NoValue removes the property.
const PSEUDO_PARAMETERS = new Map([
  ['AWS::AccountId', 'scalar'], ['AWS::NotificationARNs', 'list'], ['AWS::NoValue', 'novalue'],
  ['AWS::Partition', 'scalar'], ['AWS::Region', 'scalar'], ['AWS::StackId', 'scalar'],
  ['AWS::StackName', 'scalar'], ['AWS::URLSuffix', 'scalar'],
]);

// Parameter types: the plain ones, the AWS-specific ones (validated against the account at deploy
// time), their List<> forms, and Systems Manager parameter types wrapping either.
const AWS_SPECIFIC_PARAMETER_TYPES = [
  'AWS::EC2::AvailabilityZone::Name', 'AWS::EC2::Image::Id', 'AWS::EC2::Instance::Id',
  'AWS::EC2::KeyPair::KeyName', 'AWS::EC2::SecurityGroup::GroupName', 'AWS::EC2::SecurityGroup::Id',
  'AWS::EC2::Subnet::Id', 'AWS::EC2::Volume::Id', 'AWS::EC2::VPC::Id', 'AWS::Route53::HostedZone::Id',
];
const PARAMETER_TYPES = (() => {
  const listable = AWS_SPECIFIC_PARAMETER_TYPES.filter((t) => t !== 'AWS::EC2::KeyPair::KeyName');
  const plain = ['String', 'Number', 'List<Number>', 'CommaDelimitedList',
    ...AWS_SPECIFIC_PARAMETER_TYPES, ...listable.map((t) => `List<${t}>`)];
  const ssm = ['String', 'List<String>', 'CommaDelimitedList', ...AWS_SPECIFIC_PARAMETER_TYPES,
    ...listable.map((t) => `List<${t}>`)].map((t) => `AWS::SSM::Parameter::Value<${t}>`);
  return new Set([...plain, 'AWS::SSM::Parameter::Name', ...ssm]);
})();

function isListParameterType(type) {
  return typeof type === 'string' &&
    (/^List</.test(type) || type === 'CommaDelimitedList' ||
     /^AWS::SSM::Parameter::Value<(List<.*>|CommaDelimitedList)>$/.test(type));
}

// Intrinsic functions usable in resource properties, outputs and metadata; the condition functions
// are usable only in Conditions (and Rules). The last three need the AWS::LanguageExtensions
// transform.
const VALUE_FUNCTIONS = new Set([
  'Ref', 'Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::If',
  'Fn::ImportValue', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Sub', 'Fn::Transform',
  'Fn::Length', 'Fn::ToJsonString', 'Fn::ForEach',
]);
const CONDITION_FUNCTIONS = new Set(['Fn::And', 'Fn::Equals', 'Fn::Not', 'Fn::Or', 'Condition']);
const LANGUAGE_EXTENSION_FUNCTIONS = new Set(['Fn::Length', 'Fn::ToJsonString', 'Fn::ForEach']);

const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);
const UPDATE_REPLACE_POLICIES = new Set(['Delete', 'Retain', 'Snapshot']);
const SNAPSHOT_TYPES = new Set([
  'AWS::EC2::Volume', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup',
  'AWS::Neptune::DBCluster', 'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::Redshift::Cluster',
  'AWS::DocDB::DBCluster',
]);

// Schemas for the non-resource parts of a template, written in the spec's own type notation so
// the same checker walks them. `inline` is this script's addition: an object with these properties.
const T = {
  string: { type: 'string' }, integer: { type: 'integer' }, number: { type: 'number' },
  boolean: { type: 'boolean' }, json: { type: 'json' },
  list: (element) => ({ type: 'array', element }),
  object: (properties) => ({ type: 'inline', properties }),
};
const prop = (type, required = false) => ({ type, required });

const PARAMETER_SCHEMA = {
  Type: prop(T.string, true), Default: prop(T.string), Description: prop(T.string),
  AllowedValues: prop(T.list(T.string)), AllowedPattern: prop(T.string),
  MinLength: prop(T.integer), MaxLength: prop(T.integer), MinValue: prop(T.number),
  MaxValue: prop(T.number), NoEcho: prop(T.boolean), ConstraintDescription: prop(T.string),
};
const OUTPUT_SCHEMA = {
  Value: prop(T.string, true), Description: prop(T.string), Condition: prop(T.string),
  Export: prop(T.object({ Name: prop(T.string, true) })),
};
const CREATION_POLICY_SCHEMA = {
  AutoScalingCreationPolicy: prop(T.object({ MinSuccessfulInstancesPercent: prop(T.integer) })),
  ResourceSignal: prop(T.object({ Count: prop(T.integer), Timeout: prop(T.string) })),
  StartFleet: prop(T.boolean),
};
const UPDATE_POLICY_SCHEMA = {
  AutoScalingReplacingUpdate: prop(T.object({ WillReplace: prop(T.boolean) })),
  AutoScalingRollingUpdate: prop(T.object({
    MaxBatchSize: prop(T.integer), MinActiveInstancesPercent: prop(T.integer),
    MinInstancesInService: prop(T.integer), MinSuccessfulInstancesPercent: prop(T.integer),
    PauseTime: prop(T.string), SuspendProcesses: prop(T.list(T.string)),
    WaitOnResourceSignals: prop(T.boolean),
  })),
  AutoScalingScheduledAction: prop(T.object({ IgnoreUnmodifiedGroupSizeProperties: prop(T.boolean) })),
  CodeDeployLambdaAliasUpdate: prop(T.object({
    AfterAllowTrafficHook: prop(T.string), ApplicationName: prop(T.string, true),
    BeforeAllowTrafficHook: prop(T.string), DeploymentGroupName: prop(T.string, true),
  })),
  EnableVersionUpgrade: prop(T.boolean),
  UseOnlineResharding: prop(T.boolean),
};
// The spec's legacy `tag` type: a Key/Value pair.
const TAG_TYPE = T.object({ Key: prop(T.string, true), Value: prop(T.string, true) });

// ---------------------------------------------------------------------------------------------
// The resource specification
// ---------------------------------------------------------------------------------------------

export class ResourceSpec {
  constructor(db, version) {
    this.db = db;
    this.version = version;
    this.byType = new Map(db.all('resource').map((r) => [r.cloudFormationType, r]));
  }

  static async load() {
    let mod;
    try {
      mod = await import('@aws-cdk/aws-service-spec');
    } catch (err) {
      if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
        throw new Error('the CloudFormation resource specification is not installed in ' +
          `${fileURLToPath(new URL('.', import.meta.url))}node_modules: run ./run test ` +
          '(or npm ci in tests/cfn-spec)');
      }
      throw err;
    }
    let version = 'unknown';
    try {
      const pkg = new URL('./node_modules/@aws-cdk/aws-service-spec/package.json', import.meta.url);
      version = JSON.parse(readFileSync(pkg, 'utf8')).version;
    } catch { /* the version is only informative */ }
    return new ResourceSpec(await mod.loadAwsServiceSpec(), version);
  }

  resource(type) {
    return this.byType.get(type);
  }

  typeDefinition(reference) {
    return this.db.get('typeDefinition', reference);
  }

  // Close matches for an unknown resource type, for the message.
  suggestTypes(type) {
    const lower = String(type).toLowerCase();
    const last = lower.split('::').pop();
    return [...this.byType.keys()]
      .filter((t) => t.toLowerCase() === lower || t.toLowerCase().endsWith(`::${last}`))
      .slice(0, 3);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (obj, key) => isPlainObject(obj) && Object.prototype.hasOwnProperty.call(obj, key);
const quote = (s) => JSON.stringify(s);
const join = (path, key) => (typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`);
const isLogicalId = (id) => /^[A-Za-z0-9]+$/.test(id) && id.length <= LIMITS.logicalIdLength;

function closest(name, candidates) {
  const lower = name.toLowerCase();
  const hit = candidates.find((c) => c.toLowerCase() === lower) ||
    candidates.find((c) => c.toLowerCase().startsWith(lower) || lower.startsWith(c.toLowerCase()));
  return hit ? ` (did you mean ${quote(hit)}?)` : '';
}

function listSome(items, max = 12) {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown}, ... (${items.length} in all)` : shown;
}

// The name of the intrinsic function this object is, if it is one: an object with a single key
// that is Ref or Fn::*. {"Condition": name} is a function only inside Conditions.
function intrinsicName(value, scope) {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  if (key === 'Ref' || key.startsWith('Fn::')) return key;
  if (key === 'Condition' && scope === 'condition') return key;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Per-template state
// ---------------------------------------------------------------------------------------------

class TemplateContext {
  constructor(template, spec, options) {
    this.template = template;
    this.spec = spec;
    this.options = options;
    const section = (name) => (isPlainObject(template[name]) ? template[name] : {});
    this.parameters = section('Parameters');
    this.resources = section('Resources');
    this.conditions = section('Conditions');
    this.mappings = section('Mappings');
    const transform = template.Transform;
    this.transforms = new Set((Array.isArray(transform) ? transform : [transform])
      .filter((t) => typeof t === 'string'));
    this.problems = [];
    this.warnings = [];
    this.dependencies = new Map(); // logical id -> Set of resource logical ids it depends on
  }

  problem(path, message) {
    this.problems.push({ path, message });
  }

  warn(path, message) {
    this.warnings.push({ path, message });
  }

  isResource(id) {
    return has(this.resources, id);
  }

  isParameter(id) {
    return has(this.parameters, id);
  }

  // The spec entry of a resource: a Resource, 'custom' for custom resources, or undefined.
  resourceSpecOf(id) {
    const type = this.resources[id] && this.resources[id].Type;
    if (typeof type !== 'string') return undefined;
    if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return 'custom';
    return this.spec.resource(type);
  }

  addDependency(owner, target) {
    if (!owner || !this.isResource(target)) return;
    if (!this.dependencies.has(owner)) this.dependencies.set(owner, new Set());
    this.dependencies.get(owner).add(target);
  }
}

// ---------------------------------------------------------------------------------------------
// What kind of value an expression yields: 'scalar', 'list', 'object', 'novalue' or 'any'
// ---------------------------------------------------------------------------------------------

function kindOfType(type) {
  switch (type && type.type) {
    case 'string': case 'integer': case 'number': case 'boolean': case 'date-time': return 'scalar';
    case 'array': return 'list';
    case 'ref': case 'map': case 'tag': case 'inline': return 'object';
    default: return 'any';
  }
}

function commonKind(kinds) {
  const real = kinds.filter((k) => k !== 'novalue');
  if (real.length === 0) return kinds.length ? 'novalue' : 'any';
  return real.every((k) => k === real[0]) ? real[0] : 'any';
}

function kindOf(value, ctx) {
  if (Array.isArray(value)) return 'list';
  if (!isPlainObject(value)) return 'scalar';
  const fn = intrinsicName(value, 'resource');
  if (!fn) return 'object';
  const arg = value[fn];
  switch (fn) {
    case 'Ref':
      if (PSEUDO_PARAMETERS.has(arg)) return PSEUDO_PARAMETERS.get(arg);
      if (ctx.isParameter(arg)) return isListParameterType(ctx.parameters[arg].Type) ? 'list' : 'scalar';
      if (ctx.isResource(arg)) return 'scalar';
      return 'any';
    case 'Fn::GetAtt': {
      const [id, attr] = splitGetAtt(arg);
      const rs = ctx.resourceSpecOf(id);
      if (!rs || rs === 'custom' || typeof attr !== 'string' || !has(rs.attributes, attr)) return 'any';
      return kindOfType(rs.attributes[attr].type);
    }
    case 'Fn::If':
      return Array.isArray(arg) && arg.length === 3
        ? commonKind([kindOf(arg[1], ctx), kindOf(arg[2], ctx)]) : 'any';
    case 'Fn::Split': case 'Fn::GetAZs': case 'Fn::Cidr': return 'list';
    case 'Fn::Sub': case 'Fn::Join': case 'Fn::Base64': case 'Fn::ImportValue':
    case 'Fn::Length': case 'Fn::ToJsonString': return 'scalar';
    case 'Fn::Select':
      // Selecting from a literal list yields what its elements are; from a list-valued function,
      // a string.
      if (Array.isArray(arg) && Array.isArray(arg[1])) {
        const index = Number(arg[0]);
        if (Number.isInteger(index) && index >= 0 && index < arg[1].length) return kindOf(arg[1][index], ctx);
        return commonKind(arg[1].map((v) => kindOf(v, ctx)));
      }
      return 'scalar';
    case 'Fn::FindInMap':
      return findInMapKind(arg, ctx);
    default:
      return 'any';
  }
}

// Mapping values are strings or lists of strings; when the map name is literal, the kind is what
// all candidate values have in common.
function findInMapKind(arg, ctx) {
  if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !has(ctx.mappings, arg[0])) return 'any';
  const map = ctx.mappings[arg[0]];
  const tops = typeof arg[1] === 'string' ? [map[arg[1]]] : Object.values(map);
  const values = [];
  for (const top of tops) {
    if (!isPlainObject(top)) continue;
    if (typeof arg[2] !== 'string') values.push(...Object.values(top));
    else if (has(top, arg[2])) values.push(top[arg[2]]);
  }
  return values.length ? commonKind(values.map((v) => (Array.isArray(v) ? 'list' : 'scalar'))) : 'any';
}

// Fn::GetAtt takes [LogicalId, Attribute] or "LogicalId.Attribute" (the attribute may itself
// contain dots, e.g. "Endpoint.Address").
function splitGetAtt(arg) {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    return dot < 0 ? [arg, undefined] : [arg.slice(0, dot), arg.slice(dot + 1)];
  }
  return Array.isArray(arg) ? [arg[0], arg[1]] : [undefined, undefined];
}

// ---------------------------------------------------------------------------------------------
// Intrinsic functions and references (Ref, Fn::GetAtt, Fn::Sub, ...) anywhere in a value
// ---------------------------------------------------------------------------------------------

// Walks any value, checking every intrinsic function in it. `scope` is 'resource' (properties,
// metadata, policies), 'output' or 'condition'; `owner` is the resource whose dependencies the
// references add to.
function checkExpressions(value, path, ctx, scope, owner) {
  if (value === null) {
    ctx.problem(path, 'null values are not allowed in CloudFormation templates');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkExpressions(v, join(path, i), ctx, scope, owner));
    return;
  }
  if (!isPlainObject(value)) return;
  const fn = intrinsicName(value, scope);
  if (fn) {
    checkIntrinsic(fn, value[fn], join(path, fn), ctx, scope, owner);
    return;
  }
  const keys = Object.keys(value);
  const functionKeys = keys.filter((k) => k === 'Ref' || k.startsWith('Fn::'));
  if (functionKeys.length) {
    ctx.problem(path, `${functionKeys[0]} must be the only key of its object (found ${listSome(keys)})`);
  }
  for (const key of keys) checkExpressions(value[key], join(path, key), ctx, scope, owner);
}

function checkIntrinsic(fn, arg, path, ctx, scope, owner) {
  if (CONDITION_FUNCTIONS.has(fn)) {
    if (scope !== 'condition') {
      ctx.problem(path, `${fn} can only be used in the Conditions section (use Fn::If here)`);
      return;
    }
    checkConditionFunction(fn, arg, path, ctx);
    return;
  }
  if (!VALUE_FUNCTIONS.has(fn)) {
    ctx.problem(path, `unknown intrinsic function ${fn}`);
    return;
  }
  if (LANGUAGE_EXTENSION_FUNCTIONS.has(fn) && !ctx.transforms.has('AWS::LanguageExtensions')) {
    ctx.problem(path, `${fn} needs "Transform": "AWS::LanguageExtensions"`);
  }
  if (scope === 'condition' && !['Ref', 'Fn::FindInMap', 'Fn::Select', 'Fn::Split', 'Fn::Join',
    'Fn::Sub', 'Fn::GetAZs', 'Fn::Base64'].includes(fn)) {
    ctx.problem(path, `${fn} cannot be used in Conditions`);
    return;
  }
  const walk = (v, p) => checkExpressions(v, p, ctx, scope, owner);
  const argPath = (i) => join(path, i);
  const arity = (n, form) => {
    if (Array.isArray(arg) && arg.length === n) return true;
    ctx.problem(path, `${fn} takes ${form}`);
    return false;
  };
  switch (fn) {
    case 'Ref':
      checkRef(arg, path, ctx, scope, owner);
      break;
    case 'Fn::GetAtt':
      checkGetAttExpression(arg, path, ctx, scope, owner);
      break;
    case 'Fn::Sub':
      checkSub(arg, path, ctx, scope, owner);
      break;
    case 'Fn::If':
      if (!arity(3, '[condition name, value if true, value if false]')) { walk(arg, path); break; }
      checkConditionName(arg[0], argPath(0), ctx);
      walk(arg[1], argPath(1));
      walk(arg[2], argPath(2));
      break;
    case 'Fn::Join':
      if (!arity(2, '[delimiter, list of values]')) { walk(arg, path); break; }
      if (typeof arg[0] !== 'string') ctx.problem(argPath(0), 'the Fn::Join delimiter must be a literal string');
      expectKind(arg[1], 'list', argPath(1), ctx, 'Fn::Join needs a list');
      if (Array.isArray(arg[1])) {
        arg[1].forEach((v, i) => expectKind(v, 'scalar', join(argPath(1), i), ctx, 'Fn::Join joins strings'));
      }
      walk(arg[1], argPath(1));
      break;
    case 'Fn::Select':
      if (!arity(2, '[index, list]')) { walk(arg, path); break; }
      if (!isPlainObject(arg[0]) && !/^\d+$/.test(String(arg[0]))) {
        ctx.problem(argPath(0), `the Fn::Select index must be a non-negative integer, not ${quote(arg[0])}`);
      }
      if (Array.isArray(arg[1]) && /^\d+$/.test(String(arg[0])) && Number(arg[0]) >= arg[1].length) {
        ctx.problem(argPath(0), `Fn::Select index ${arg[0]} is out of range for a list of ${arg[1].length}`);
      }
      expectKind(arg[1], 'list', argPath(1), ctx, 'Fn::Select needs a list');
      walk(arg, path);
      break;
    case 'Fn::Split':
      if (!arity(2, '[delimiter, string]')) { walk(arg, path); break; }
      if (typeof arg[0] !== 'string') ctx.problem(argPath(0), 'the Fn::Split delimiter must be a literal string');
      expectKind(arg[1], 'scalar', argPath(1), ctx, 'Fn::Split splits a string');
      walk(arg[1], argPath(1));
      break;
    case 'Fn::Base64':
      expectKind(arg, 'scalar', path, ctx, 'Fn::Base64 encodes a string');
      walk(arg, path);
      break;
    case 'Fn::ImportValue':
      expectKind(arg, 'scalar', path, ctx, 'Fn::ImportValue takes an export name');
      // The export name must be known before any resource of this stack exists.
      for (const ref of referencedNames(arg)) {
        if (ctx.isResource(ref)) ctx.problem(path, `Fn::ImportValue cannot depend on resource ${quote(ref)}`);
      }
      walk(arg, path);
      break;
    case 'Fn::GetAZs':
      if (typeof arg !== 'string' && !(isPlainObject(arg) && intrinsicName(arg) === 'Ref')) {
        ctx.problem(path, 'Fn::GetAZs takes a region name, "" or {"Ref": "AWS::Region"}');
      }
      walk(arg, path);
      break;
    case 'Fn::FindInMap':
      checkFindInMap(arg, path, ctx);
      walk(arg, path);
      break;
    case 'Fn::Cidr':
      arity(3, '[ip block, count, cidr bits]');
      walk(arg, path);
      break;
    default: // Fn::Transform, Fn::Length, Fn::ToJsonString, Fn::ForEach: only their contents
      walk(arg, path);
  }
}

// A value used where a given kind is needed (a list for Fn::Join, a string for Fn::Base64...).
function expectKind(value, wanted, path, ctx, why) {
  const kind = kindOf(value, ctx);
  if (kind === 'any' || kind === wanted) return;
  if (kind === 'novalue') {
    ctx.problem(path, `${why}; AWS::NoValue is not a value here`);
    return;
  }
  ctx.problem(path, `${why}, but this is ${describeKind(kind, value)}`);
}

function describeKind(kind, value) {
  const fn = intrinsicName(value);
  const what = { scalar: 'a string', list: 'a list', object: 'an object' }[kind] || kind;
  return fn ? `${what} (from ${fn})` : what;
}

// Names a value refers to through Ref, Fn::GetAtt and Fn::Sub.
function referencedNames(value) {
  const names = [];
  const visit = (v) => {
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (!isPlainObject(v)) return;
    if (has(v, 'Ref') && typeof v.Ref === 'string') names.push(v.Ref);
    if (has(v, 'Fn::GetAtt')) names.push(splitGetAtt(v['Fn::GetAtt'])[0]);
    if (has(v, 'Fn::Sub')) {
      const sub = v['Fn::Sub'];
      const text = Array.isArray(sub) ? sub[0] : sub;
      const vars = Array.isArray(sub) && isPlainObject(sub[1]) ? sub[1] : {};
      if (typeof text === 'string') {
        for (const name of subVariables(text)) if (!has(vars, name)) names.push(name.split('.')[0]);
      }
    }
    Object.values(v).forEach(visit);
  };
  visit(value);
  return names;
}

function checkRef(target, path, ctx, scope, owner) {
  if (typeof target !== 'string') {
    ctx.problem(path, 'Ref takes the literal name of a parameter, resource or pseudo parameter');
    return;
  }
  if (PSEUDO_PARAMETERS.has(target) || ctx.isParameter(target)) return;
  if (ctx.isResource(target)) {
    if (scope === 'condition') ctx.problem(path, `Conditions cannot refer to resource ${quote(target)}`);
    ctx.addDependency(owner, target);
    return;
  }
  if (target.startsWith('AWS::')) {
    ctx.problem(path, `Ref to unknown pseudo parameter ${quote(target)}`);
  } else {
    ctx.problem(path, `Ref to ${quote(target)}, which is neither a parameter nor a resource` +
      closest(target, [...Object.keys(ctx.parameters), ...Object.keys(ctx.resources)]));
  }
}

function checkGetAttExpression(arg, path, ctx, scope, owner) {
  const [id, attr] = splitGetAtt(arg);
  const wellFormed = typeof id === 'string' &&
    (typeof attr === 'string' || (isPlainObject(attr) && intrinsicName(attr) === 'Ref')) &&
    (typeof arg === 'string' || arg.length === 2);
  if (!wellFormed) {
    ctx.problem(path, 'Fn::GetAtt takes [LogicalId, AttributeName] or "LogicalId.AttributeName"');
    return;
  }
  if (scope === 'condition') {
    ctx.problem(path, 'Conditions cannot use Fn::GetAtt');
    return;
  }
  if (isPlainObject(attr)) {
    // A parameterized attribute name: CloudFormation resolves it at deploy time.
    checkRef(attr.Ref, join(path, 1), ctx, scope, owner);
    if (ctx.isResource(id)) ctx.addDependency(owner, id);
    else ctx.problem(path, `Fn::GetAtt of ${quote(id)}, which is not a resource`);
    return;
  }
  checkAttribute(id, attr, path, ctx, owner, 'Fn::GetAtt');
}

// `id` must be a resource whose type has attribute `attr`.
function checkAttribute(id, attr, path, ctx, owner, where) {
  if (!ctx.isResource(id)) {
    const what = ctx.isParameter(id) ? 'a parameter, not a resource' : 'not a resource in this template';
    ctx.problem(path, `${where} of ${quote(id)}, which is ${what}` +
      (ctx.isParameter(id) ? '' : closest(id, Object.keys(ctx.resources))));
    return;
  }
  ctx.addDependency(owner, id);
  const rs = ctx.resourceSpecOf(id);
  if (!rs || rs === 'custom') return; // unknown types are reported once, on the resource
  if (rs.cloudFormationType === 'AWS::CloudFormation::Stack' && attr.startsWith('Outputs.')) return;
  if (!has(rs.attributes, attr)) {
    const known = Object.keys(rs.attributes);
    ctx.problem(path, `${where}: ${rs.cloudFormationType} ${quote(id)} has no attribute ${quote(attr)}` +
      (known.length ? `; it has ${listSome(known)}` : '; it has no attributes') + closest(attr, known));
  }
}

// The ${...} variables of an Fn::Sub string; ${!Literal} is written out as ${Literal} and is no
// variable.
function subVariables(text) {
  const names = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    if (!match[1].startsWith('!')) names.push(match[1]);
  }
  return names;
}

function checkSub(arg, path, ctx, scope, owner) {
  let text = arg;
  let vars = {};
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || !isPlainObject(arg[1])) {
      ctx.problem(path, 'Fn::Sub takes a string or [string, {variable: value, ...}]');
      return;
    }
    [text, vars] = arg;
    for (const [name, value] of Object.entries(vars)) {
      const p = join(join(path, 1), name);
      expectKind(value, 'scalar', p, ctx, 'Fn::Sub variables must be strings');
      checkExpressions(value, p, ctx, scope, owner);
    }
  }
  if (typeof text !== 'string') {
    ctx.problem(path, 'the Fn::Sub template must be a literal string');
    return;
  }
  const textPath = Array.isArray(arg) ? join(path, 0) : path;
  for (const name of subVariables(text)) {
    if (has(vars, name)) continue;
    if (PSEUDO_PARAMETERS.has(name)) {
      if (PSEUDO_PARAMETERS.get(name) !== 'scalar') {
        ctx.problem(textPath, `\${${name}} cannot be substituted into a string`);
      }
      continue;
    }
    if (ctx.isParameter(name)) {
      if (isListParameterType(ctx.parameters[name].Type)) {
        ctx.problem(textPath, `\${${name}} is a list parameter; Fn::Sub needs a string (use Fn::Join)`);
      }
      continue;
    }
    if (ctx.isResource(name)) {
      if (scope === 'condition') ctx.problem(textPath, `Conditions cannot refer to resource ${quote(name)}`);
      ctx.addDependency(owner, name);
      continue;
    }
    const dot = name.indexOf('.');
    if (dot > 0 && ctx.isResource(name.slice(0, dot))) {
      checkAttribute(name.slice(0, dot), name.slice(dot + 1), textPath, ctx, owner, `\${${name}}`);
      continue;
    }
    ctx.problem(textPath, `Fn::Sub variable \${${name}} does not resolve to a parameter, resource, ` +
      'attribute, pseudo parameter or variable (write ${!' + name + '} for a literal)' +
      closest(name, [...Object.keys(vars), ...Object.keys(ctx.parameters), ...Object.keys(ctx.resources)]));
  }
}

function checkConditionName(name, path, ctx) {
  if (typeof name !== 'string') {
    ctx.problem(path, 'a condition must be named by a literal string');
  } else if (!has(ctx.conditions, name)) {
    ctx.problem(path, `unknown condition ${quote(name)}` + closest(name, Object.keys(ctx.conditions)));
  }
}

function checkFindInMap(arg, path, ctx) {
  if (!Array.isArray(arg) || arg.length !== 3) {
    if (!(Array.isArray(arg) && arg.length === 4 && ctx.transforms.has('AWS::LanguageExtensions'))) {
      ctx.problem(path, 'Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]');
      return;
    }
  }
  const [mapName, top, second] = arg;
  if (typeof mapName !== 'string') return;
  if (!has(ctx.mappings, mapName)) {
    ctx.problem(join(path, 0), `unknown mapping ${quote(mapName)}` + closest(mapName, Object.keys(ctx.mappings)));
    return;
  }
  const map = ctx.mappings[mapName];
  if (typeof top === 'string' && !has(map, top)) {
    ctx.problem(join(path, 1), `mapping ${quote(mapName)} has no key ${quote(top)}`);
    return;
  }
  if (typeof second !== 'string') return;
  // With a computed top-level key (typically the region), every entry must have the second key.
  const entries = typeof top === 'string' ? [top] : Object.keys(map);
  const missing = entries.filter((k) => !has(map[k], second));
  if (missing.length) {
    ctx.problem(join(path, 2), `mapping ${quote(mapName)} has no ${quote(second)} under ${listSome(missing, 5)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

function checkConditions(ctx) {
  for (const [name, body] of Object.entries(ctx.conditions)) {
    const path = `Conditions.${name}`;
    if (!isLogicalId(name)) ctx.problem(path, 'condition names must be alphanumeric');
    const fn = intrinsicName(body, 'condition');
    if (!fn || !CONDITION_FUNCTIONS.has(fn)) {
      ctx.problem(path, 'a condition must be Fn::And, Fn::Equals, Fn::Not, Fn::Or or {"Condition": name}');
    }
    checkExpressions(body, path, ctx, 'condition', null);
  }
  const cycle = findCycle(Object.keys(ctx.conditions), (name) => conditionNamesIn(ctx.conditions[name]));
  if (cycle) ctx.problem(`Conditions.${cycle[0]}`, `circular condition: ${cycle.join(' -> ')}`);
}

function conditionNamesIn(value) {
  const names = [];
  const visit = (v) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isPlainObject(v)) {
      if (Object.keys(v).length === 1 && typeof v.Condition === 'string') names.push(v.Condition);
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return names;
}

function checkConditionFunction(fn, arg, path, ctx) {
  const walk = () => checkExpressions(arg, path, ctx, 'condition', null);
  switch (fn) {
    case 'Condition':
      checkConditionName(arg, path, ctx);
      return;
    case 'Fn::Equals':
      if (!Array.isArray(arg) || arg.length !== 2) ctx.problem(path, 'Fn::Equals takes [value, value]');
      walk();
      return;
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or': {
      const [min, max] = fn === 'Fn::Not' ? [1, 1] : LIMITS.conditionOperands;
      if (!Array.isArray(arg) || arg.length < min || arg.length > max) {
        ctx.problem(path, `${fn} takes ${min === max ? min : `${min} to ${max}`} conditions` +
          (Array.isArray(arg) ? `, not ${arg.length}` : ''));
        walk();
        return;
      }
      arg.forEach((operand, i) => {
        const operandFn = intrinsicName(operand, 'condition');
        if (!operandFn || !CONDITION_FUNCTIONS.has(operandFn)) {
          ctx.problem(join(path, i), `${fn} operands must be conditions`);
        }
      });
      walk();
      return;
    }
    default:
  }
}

// ---------------------------------------------------------------------------------------------
// Values against spec types
// ---------------------------------------------------------------------------------------------

// The types a property accepts: its current type and any earlier ones.
function acceptedTypes(property) {
  return [property.type, ...(property.previousTypes || [])];
}

// Checks `value` against any of `types`; when none fits, reports against the first (current) one.
function checkAgainstTypes(value, types, path, ctx) {
  if (types.length === 1) {
    checkValue(value, types[0], path, ctx);
    return;
  }
  const attempts = types.map((type) => {
    const trial = Object.create(ctx);
    trial.problems = [];
    trial.warnings = [];
    checkValue(value, type, path, trial);
    return trial;
  });
  const fit = attempts.find((a) => a.problems.length === 0) || attempts[0];
  ctx.problems.push(...fit.problems);
  ctx.warnings.push(...fit.warnings);
}

function describeType(type, ctx) {
  switch (type.type) {
    case 'array': return `a list of ${describeType(type.element, ctx).replace(/^an? /, '')}s`;
    case 'map': return 'a map (object)';
    case 'ref': return `an object (${ctx.spec.typeDefinition(type.reference).name})`;
    case 'inline': case 'tag': return 'an object';
    case 'integer': return 'an integer';
    case 'date-time': return 'a date-time string';
    case 'union': return type.types.map((t) => describeType(t, ctx)).join(' or ');
    default: return `a ${type.type}`;
  }
}

function checkValue(value, type, path, ctx) {
  if (value === null) {
    ctx.problem(path, 'null values are not allowed in CloudFormation templates');
    return;
  }
  if (type.type === 'union') {
    checkAgainstTypes(value, type.types, path, ctx);
    return;
  }
  const fn = intrinsicName(value);
  if (fn) {
    checkIntrinsicValue(fn, value, type, path, ctx);
    return;
  }
  const shape = Array.isArray(value) ? 'a list' : isPlainObject(value) ? 'an object' : `${quote(value)}`;
  const wrongShape = () => ctx.problem(path, `expected ${describeType(type, ctx)}, got ${shape}`);
  switch (type.type) {
    case 'string':
    case 'date-time':
      // CloudFormation turns numbers and booleans into strings.
      if (typeof value === 'object') { wrongShape(); return; }
      if (type.allowedValues && typeof value === 'string' && !type.allowedValues.includes(value)) {
        ctx.problem(path, `${quote(value)} is not one of ${listSome(type.allowedValues.map(quote))}`);
      }
      return;
    case 'integer':
      // CloudFormation accepts integers written as strings ("42").
      if (!(Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)))) { wrongShape(); return; }
      if (type.allowedValues && !type.allowedValues.includes(Number(value))) {
        ctx.problem(path, `${value} is not one of ${listSome(type.allowedValues.map(String))}`);
      }
      return;
    case 'number':
      if (!((typeof value === 'number' && Number.isFinite(value)) ||
            (typeof value === 'string' && /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)))) wrongShape();
      return;
    case 'boolean':
      // CloudFormation accepts "true" and "false" as booleans.
      if (!(typeof value === 'boolean' || value === 'true' || value === 'false')) wrongShape();
      return;
    case 'json':
      if (typeof value !== 'object' && typeof value !== 'string') wrongShape();
      return;
    case 'array':
      if (!Array.isArray(value)) { wrongShape(); return; }
      value.forEach((element, i) => checkValue(element, type.element, join(path, i), ctx));
      return;
    case 'map':
      if (!isPlainObject(value)) { wrongShape(); return; }
      for (const [key, element] of Object.entries(value)) checkValue(element, type.element, join(path, key), ctx);
      return;
    case 'tag':
      checkValue(value, TAG_TYPE, path, ctx);
      return;
    case 'inline':
      if (!isPlainObject(value)) { wrongShape(); return; }
      checkProperties(value, type.properties, path, ctx);
      return;
    case 'ref': {
      if (!isPlainObject(value)) { wrongShape(); return; }
      checkProperties(value, ctx.spec.typeDefinition(type.reference).properties, path, ctx);
      return;
    }
    default: // 'null' and anything newer than this script: no shape to check
  }
}

// An intrinsic function where a value of `type` is expected. Fn::If is checked branch by branch;
// other functions by the kind of value they yield.
function checkIntrinsicValue(fn, value, type, path, ctx) {
  const arg = value[fn];
  if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3) {
    for (const i of [1, 2]) {
      const branch = arg[i];
      if (!(isPlainObject(branch) && branch.Ref === 'AWS::NoValue')) {
        checkValue(branch, type, join(join(path, fn), i), ctx);
      }
    }
    return;
  }
  if (fn === 'Ref' && arg === 'AWS::NoValue') return;
  const wanted = kindOfType(type);
  const kind = kindOf(value, ctx);
  if (type.type === 'json' || wanted === 'any' || kind === 'any' || kind === wanted) return;
  ctx.problem(path, `expected ${describeType(type, ctx)}, but ${fn} yields ${describeKind(kind).replace(/ \(.*/, '')}`);
}

// An object against a property table: unknown names, required names, each value's type.
function checkProperties(obj, properties, path, ctx) {
  const known = Object.keys(properties);
  for (const [name, value] of Object.entries(obj)) {
    const property = properties[name];
    if (!property) {
      ctx.problem(join(path, name), `unknown property ${quote(name)}` + closest(name, known) +
        (known.length <= 40 ? `; known: ${listSome(known, 40)}` : ''));
      continue;
    }
    if (property.deprecated && property.deprecated !== 'NONE') {
      ctx.warn(join(path, name), `property ${quote(name)} is deprecated`);
    }
    checkAgainstTypes(value, acceptedTypes(property), join(path, name), ctx);
  }
  for (const [name, property] of Object.entries(properties)) {
    const value = obj[name];
    const absent = value === undefined || (isPlainObject(value) && value.Ref === 'AWS::NoValue');
    if (property.required && absent) ctx.problem(join(path, name), `missing required property ${quote(name)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

function checkResources(ctx) {
  const resources = ctx.template.Resources;
  if (!isPlainObject(resources) || Object.keys(resources).length === 0) {
    ctx.problem('Resources', 'a template needs a Resources section with at least one resource');
    return;
  }
  const count = Object.keys(resources).length;
  if (count > LIMITS.resources) {
    ctx.problem('Resources', `${count} resources; CloudFormation allows ${LIMITS.resources}`);
  }
  for (const [id, resource] of Object.entries(resources)) {
    const path = `Resources.${id}`;
    if (!isLogicalId(id)) ctx.problem(path, 'logical IDs must be alphanumeric (A-Z, a-z, 0-9), at most 255 characters');
    if (!isPlainObject(resource)) {
      ctx.problem(path, 'a resource must be an object');
      continue;
    }
    checkResource(id, resource, path, ctx);
  }
  const cycle = findCycle(Object.keys(resources), (id) => [...(ctx.dependencies.get(id) || [])]);
  if (cycle) ctx.problem(`Resources.${cycle[0]}`, `circular dependency: ${cycle.join(' -> ')}`);
}

function checkResource(id, resource, path, ctx) {
  for (const key of Object.keys(resource)) {
    if (!RESOURCE_KEYS.has(key)) {
      ctx.problem(join(path, key), `unknown resource attribute ${quote(key)}` + closest(key, [...RESOURCE_KEYS]));
    }
  }
  const rs = checkResourceType(resource.Type, join(path, 'Type'), ctx);
  checkDependsOn(id, resource.DependsOn, join(path, 'DependsOn'), ctx);
  if (has(resource, 'Condition')) checkConditionName(resource.Condition, join(path, 'Condition'), ctx);
  checkPolicies(resource, rs, path, ctx);
  for (const key of ['Properties', 'Metadata', 'CreationPolicy', 'UpdatePolicy']) {
    if (has(resource, key)) checkExpressions(resource[key], join(path, key), ctx, 'resource', id);
  }
  const properties = resource.Properties === undefined ? {} : resource.Properties;
  if (!isPlainObject(properties)) {
    ctx.problem(join(path, 'Properties'), 'Properties must be an object');
    return;
  }
  if (rs === 'custom') {
    if (!has(properties, 'ServiceToken')) {
      ctx.problem(join(path, 'Properties.ServiceToken'), 'missing required property "ServiceToken"');
    }
  } else if (rs) {
    checkProperties(properties, rs.properties, join(path, 'Properties'), ctx);
    checkProjectTag(id, rs, properties, path, ctx);
    checkServiceLimits(rs, properties, join(path, 'Properties'), ctx);
  }
}

function checkResourceType(type, path, ctx) {
  if (typeof type !== 'string') {
    ctx.problem(path, 'every resource needs a literal Type');
    return undefined;
  }
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return 'custom';
  const rs = ctx.spec.resource(type);
  if (!rs) {
    const near = ctx.spec.suggestTypes(type);
    ctx.problem(path, `unknown resource type ${quote(type)}` +
      (near.length ? ` (did you mean ${near.join(' or ')}?)` : ''));
    return undefined;
  }
  if (rs.cloudFormationTransform && !ctx.transforms.has(rs.cloudFormationTransform)) {
    ctx.problem(path, `${type} needs "Transform": "${rs.cloudFormationTransform}"`);
  }
  return rs;
}

function checkDependsOn(id, dependsOn, path, ctx) {
  if (dependsOn === undefined) return;
  const targets = typeof dependsOn === 'string' ? [dependsOn] : dependsOn;
  if (!Array.isArray(targets)) {
    ctx.problem(path, 'DependsOn takes a logical ID or a list of them');
    return;
  }
  targets.forEach((target, i) => {
    const p = typeof dependsOn === 'string' ? path : join(path, i);
    if (typeof target !== 'string') ctx.problem(p, 'DependsOn takes literal logical IDs');
    else if (target === id) ctx.problem(p, 'a resource cannot depend on itself');
    else if (ctx.isResource(target)) ctx.addDependency(id, target);
    else {
      ctx.problem(p, `DependsOn ${quote(target)}, which is not a resource in this template` +
        closest(target, Object.keys(ctx.resources)));
    }
  });
}

function checkPolicies(resource, rs, path, ctx) {
  const type = rs && rs !== 'custom' ? rs.cloudFormationType : resource.Type;
  const policy = (key, allowed) => {
    if (!has(resource, key)) return;
    const value = resource[key];
    if (!allowed.has(value)) {
      ctx.problem(join(path, key), `${quote(value)} is not a valid ${key} (${[...allowed].join(', ')})`);
    } else if (value === 'Snapshot' && !SNAPSHOT_TYPES.has(type)) {
      ctx.problem(join(path, key), `${type} does not support the Snapshot ${key}`);
    }
  };
  policy('DeletionPolicy', DELETION_POLICIES);
  policy('UpdateReplacePolicy', UPDATE_REPLACE_POLICIES);
  if (has(resource, 'CreationPolicy')) {
    checkValue(resource.CreationPolicy, T.object(CREATION_POLICY_SCHEMA), join(path, 'CreationPolicy'), ctx);
    const timeout = resource.CreationPolicy && resource.CreationPolicy.ResourceSignal &&
      resource.CreationPolicy.ResourceSignal.Timeout;
    if (typeof timeout === 'string') {
      const seconds = isoDurationSeconds(timeout);
      const p = join(path, 'CreationPolicy.ResourceSignal.Timeout');
      if (seconds === undefined) ctx.problem(p, `${quote(timeout)} is not an ISO 8601 duration (PT#H#M#S)`);
      else if (seconds > LIMITS.resourceSignalTimeoutSeconds) {
        ctx.problem(p, `${timeout} is longer than the 12 hours CloudFormation allows`);
      }
    }
  }
  if (has(resource, 'UpdatePolicy')) {
    checkValue(resource.UpdatePolicy, T.object(UPDATE_POLICY_SCHEMA), join(path, 'UpdatePolicy'), ctx);
    const pause = resource.UpdatePolicy && resource.UpdatePolicy.AutoScalingRollingUpdate &&
      resource.UpdatePolicy.AutoScalingRollingUpdate.PauseTime;
    if (typeof pause === 'string' && isoDurationSeconds(pause) === undefined) {
      ctx.problem(join(path, 'UpdatePolicy.AutoScalingRollingUpdate.PauseTime'),
        `${quote(pause)} is not an ISO 8601 duration (PT#H#M#S)`);
    }
  }
}

function isoDurationSeconds(text) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  if (!m || text === 'PT') return undefined;
  return Number(m[1] || 0) * 3600 + Number(m[2] || 0) * 60 + Number(m[3] || 0);
}

// Service limits the spec does not express but that fail a deployment.
function checkServiceLimits(rs, properties, path, ctx) {
  const userData = (value, p) => {
    const bytes = userDataBytes(value);
    if (bytes > LIMITS.userDataBytes) {
      ctx.problem(p, `user data is about ${bytes} bytes before base64; EC2 allows ${LIMITS.userDataBytes}`);
    }
  };
  if (rs.cloudFormationType === 'AWS::EC2::Instance' && has(properties, 'UserData')) {
    userData(properties.UserData, join(path, 'UserData'));
  }
  if (rs.cloudFormationType === 'AWS::EC2::LaunchTemplate' && has(properties.LaunchTemplateData, 'UserData')) {
    userData(properties.LaunchTemplateData.UserData, join(path, 'LaunchTemplateData.UserData'));
  }
}

// The size of the text inside Fn::Base64 (literal or Fn::Sub template; substitutions are short).
function userDataBytes(value) {
  let text = isPlainObject(value) && has(value, 'Fn::Base64') ? value['Fn::Base64'] : value;
  if (isPlainObject(text) && has(text, 'Fn::Sub')) text = text['Fn::Sub'];
  if (Array.isArray(text)) text = text[0];
  return typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0;
}

// ---------------------------------------------------------------------------------------------
// The required tag (Project=AWSStacks)
// ---------------------------------------------------------------------------------------------

// Every resource the spec marks taggable must carry the tag in its tag property. Some resources
// are taggable through TagSpecifications instead (the spec does not mark them): a launch template
// tags itself with ResourceType "launch-template", and what it launches through
// LaunchTemplateData.TagSpecifications ("instance", and "volume" when it maps EBS volumes). An
// instance's own block-device volumes get its tags only with PropagateTagsToVolumeOnCreation.
function checkProjectTag(id, rs, properties, path, ctx) {
  const { key, value } = ctx.options.requiredTag;
  const tagName = `${key}=${value}`;
  const info = rs.tagInformation;
  if (info) {
    const tags = properties[info.tagPropertyName];
    const p = join(join(path, 'Properties'), info.tagPropertyName);
    if (tags === undefined) ctx.problem(p, `missing the ${tagName} tag (${rs.cloudFormationType} is taggable)`);
    else requireTag(tags, info.variant, p, ctx);
  } else if (has(rs.properties, 'TagSpecifications')) {
    const specs = properties.TagSpecifications;
    const p = join(join(path, 'Properties'), 'TagSpecifications');
    const resourceType = rs.cloudFormationType === 'AWS::EC2::LaunchTemplate' ? 'launch-template' : undefined;
    requireTagSpecification(specs, resourceType, p, ctx,
      `${rs.cloudFormationType} is taggable through TagSpecifications`);
  }
  if (rs.cloudFormationType === 'AWS::EC2::LaunchTemplate' && isPlainObject(properties.LaunchTemplateData)) {
    const data = properties.LaunchTemplateData;
    const p = join(path, 'Properties.LaunchTemplateData.TagSpecifications');
    requireTagSpecification(data.TagSpecifications, 'instance', p, ctx, 'instances launched from it are untagged');
    if (mapsEbsVolumes(data.BlockDeviceMappings)) {
      requireTagSpecification(data.TagSpecifications, 'volume', p, ctx, 'the EBS volumes it creates are untagged');
    }
  }
  if (rs.cloudFormationType === 'AWS::EC2::Instance' && mapsEbsVolumes(properties.BlockDeviceMappings) &&
      !(properties.PropagateTagsToVolumeOnCreation === true || properties.PropagateTagsToVolumeOnCreation === 'true')) {
    ctx.problem(join(path, 'Properties.PropagateTagsToVolumeOnCreation'),
      `must be true, or the instance's EBS volumes go without the ${tagName} tag`);
  }
}

function mapsEbsVolumes(mappings) {
  return Array.isArray(mappings) && mappings.some((m) => isPlainObject(m) && has(m, 'Ebs'));
}

// Tags in the form `variant` ('standard' and 'asg': a list of {Key, Value}; 'map': {Key: Value}).
function requireTag(tags, variant, path, ctx) {
  const { key, value } = ctx.options.requiredTag;
  const fn = intrinsicName(tags);
  if (fn === 'Fn::If' && Array.isArray(tags[fn]) && tags[fn].length === 3) {
    requireTag(tags[fn][1], variant, join(join(path, fn), 1), ctx);
    requireTag(tags[fn][2], variant, join(join(path, fn), 2), ctx);
    return;
  }
  if (fn) {
    ctx.problem(path, `the tags are computed by ${fn}; the ${key}=${value} tag cannot be verified`);
    return;
  }
  let found;
  if (variant === 'map') {
    found = isPlainObject(tags) && has(tags, key) ? tags[key] : undefined;
  } else {
    const list = Array.isArray(tags) ? tags : (isPlainObject(tags) && Array.isArray(tags.Items) ? tags.Items : []);
    const tag = list.find((t) => isPlainObject(t) && t.Key === key);
    found = tag ? tag.Value : undefined;
  }
  if (found === undefined) ctx.problem(path, `missing the ${key}=${value} tag`);
  else if (typeof found !== 'object' && String(found) !== value) {
    ctx.problem(path, `the ${key} tag is ${quote(found)}, not ${quote(value)}`);
  }
}

// A TagSpecifications list must hold an entry (for `resourceType`, when given) carrying the tag.
function requireTagSpecification(specs, resourceType, path, ctx, why) {
  const { key, value } = ctx.options.requiredTag;
  const forType = resourceType ? ` with ResourceType ${quote(resourceType)}` : '';
  const entries = (Array.isArray(specs) ? specs : [])
    .filter((s) => isPlainObject(s) && (!resourceType || s.ResourceType === resourceType));
  if (entries.length === 0) {
    ctx.problem(path, `no tag specification${forType} carrying ${key}=${value}: ${why}`);
    return;
  }
  entries.forEach((entry) => requireTag(entry.Tags === undefined ? [] : entry.Tags, 'standard',
    join(path, specs.indexOf(entry)) + '.Tags', ctx));
}

// ---------------------------------------------------------------------------------------------
// Parameters, Mappings, Outputs and the template as a whole
// ---------------------------------------------------------------------------------------------

function checkParameters(ctx) {
  const count = Object.keys(ctx.parameters).length;
  if (count > LIMITS.parameters) {
    ctx.problem('Parameters', `${count} parameters; CloudFormation allows ${LIMITS.parameters}`);
  }
  for (const [name, parameter] of Object.entries(ctx.parameters)) {
    const path = `Parameters.${name}`;
    if (!isLogicalId(name)) ctx.problem(path, 'parameter names must be alphanumeric');
    if (ctx.isResource(name)) ctx.problem(path, `${quote(name)} is both a parameter and a resource`);
    if (!isPlainObject(parameter)) {
      ctx.problem(path, 'a parameter must be an object');
      continue;
    }
    checkValue(parameter, T.object(PARAMETER_SCHEMA), path, ctx);
    if (typeof parameter.Type === 'string' && !PARAMETER_TYPES.has(parameter.Type)) {
      ctx.problem(join(path, 'Type'), `${quote(parameter.Type)} is not a CloudFormation parameter type`);
    }
    checkParameterDefault(parameter, path, ctx);
  }
}

// A default must satisfy the parameter's own constraints, or stacks created with it fail.
function checkParameterDefault(parameter, path, ctx) {
  if (!has(parameter, 'Default') || typeof parameter.Default === 'object') return;
  const text = String(parameter.Default);
  const p = join(path, 'Default');
  if (Array.isArray(parameter.AllowedValues) && !parameter.AllowedValues.map(String).includes(text)) {
    ctx.problem(p, `default ${quote(text)} is not among the AllowedValues`);
  }
  if (typeof parameter.AllowedPattern === 'string' && parameter.Type === 'String') {
    let pattern;
    try {
      pattern = new RegExp(`^(?:${parameter.AllowedPattern})$`, 'u');
    } catch { /* a Java-only pattern: left to CloudFormation */ }
    if (pattern && !pattern.test(text)) ctx.problem(p, `default ${quote(text)} does not match AllowedPattern`);
  }
  if (parameter.Type === 'Number' && !Number.isFinite(Number(text))) {
    ctx.problem(p, `default ${quote(text)} is not a number`);
  }
}

function checkMappings(ctx) {
  const count = Object.keys(ctx.mappings).length;
  if (count > LIMITS.mappings) ctx.problem('Mappings', `${count} mappings; CloudFormation allows ${LIMITS.mappings}`);
  for (const [name, map] of Object.entries(ctx.mappings)) {
    const path = `Mappings.${name}`;
    if (!isLogicalId(name)) ctx.problem(path, 'mapping names must be alphanumeric');
    if (!isPlainObject(map)) {
      ctx.problem(path, 'a mapping must be an object of objects');
      continue;
    }
    for (const [top, entries] of Object.entries(map)) {
      if (!isPlainObject(entries)) {
        ctx.problem(join(path, top), 'mapping entries must be objects of second-level keys');
        continue;
      }
      for (const [second, value] of Object.entries(entries)) {
        // Mappings hold literals only: no parameters, pseudo parameters or functions.
        const literal = (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
        if (!(literal(value) || (Array.isArray(value) && value.every(literal)))) {
          ctx.problem(join(join(path, top), second), 'mapping values must be literal strings or lists of strings');
        }
      }
    }
  }
}

function checkOutputs(ctx) {
  const outputs = ctx.template.Outputs;
  if (outputs === undefined) return;
  if (!isPlainObject(outputs)) {
    ctx.problem('Outputs', 'Outputs must be an object');
    return;
  }
  const count = Object.keys(outputs).length;
  if (count > LIMITS.outputs) ctx.problem('Outputs', `${count} outputs; CloudFormation allows ${LIMITS.outputs}`);
  const exports = new Map();
  for (const [name, output] of Object.entries(outputs)) {
    const path = `Outputs.${name}`;
    if (!isLogicalId(name)) ctx.problem(path, 'output names must be alphanumeric');
    if (!isPlainObject(output)) {
      ctx.problem(path, 'an output must be an object');
      continue;
    }
    checkValue(output, T.object(OUTPUT_SCHEMA), path, ctx);
    checkExpressions(output, path, ctx, 'output', null);
    if (has(output, 'Condition')) checkConditionName(output.Condition, join(path, 'Condition'), ctx);
    const exportName = isPlainObject(output.Export) ? output.Export.Name : undefined;
    if (typeof exportName === 'string') {
      if (exports.has(exportName)) {
        ctx.problem(join(path, 'Export.Name'),
          `export name ${quote(exportName)} is also used by output ${exports.get(exportName)}`);
      }
      exports.set(exportName, name);
    }
  }
}

function checkTemplateSections(template, bytes, ctx) {
  for (const key of Object.keys(template)) {
    if (!TEMPLATE_SECTIONS.has(key)) {
      ctx.problem(key, `unknown template section ${quote(key)}` + closest(key, [...TEMPLATE_SECTIONS]));
    }
  }
  if (has(template, 'AWSTemplateFormatVersion') && template.AWSTemplateFormatVersion !== '2010-09-09') {
    ctx.problem('AWSTemplateFormatVersion', 'the only template format version is "2010-09-09"');
  }
  if (has(template, 'Description')) {
    if (typeof template.Description !== 'string') {
      ctx.problem('Description', 'the description must be a literal string');
    } else if (Buffer.byteLength(template.Description) > LIMITS.descriptionBytes) {
      ctx.problem('Description', `longer than ${LIMITS.descriptionBytes} bytes`);
    }
  }
  for (const key of ['Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs', 'Metadata', 'Rules']) {
    if (has(template, key) && !isPlainObject(template[key])) ctx.problem(key, `${key} must be an object`);
  }
  if (bytes > LIMITS.templateBytes) {
    ctx.problem('(template)',
      `${bytes} bytes; CloudFormation takes templates of at most ${LIMITS.templateBytes} bytes (1 MB, from S3)`);
  } else if (bytes > LIMITS.inlineTemplateBytes) {
    ctx.warn('(template)',
      `${bytes} bytes: over the ${LIMITS.inlineTemplateBytes} bytes of an inline TemplateBody; deploy it from S3`);
  }
}

// The first cycle in a graph given as node -> successors, as [a, b, ..., a], or undefined.
function findCycle(nodes, successors) {
  const state = new Map(); // undefined: new, 1: on the current path, 2: done
  const stack = [];
  const visit = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of successors(node)) {
      if (!nodes.includes(next)) continue;
      if (state.get(next) === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of nodes) {
    if (state.get(node) === undefined) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

export const DEFAULT_OPTIONS = Object.freeze({ requiredTag: Object.freeze({ key: 'Project', value: 'AWSStacks' }) });

// Validates a parsed template; `bytes` is the size of its body. Returns {problems, warnings}, each
// a list of {path, message}.
export function validateTemplate(template, spec, options = DEFAULT_OPTIONS, bytes = undefined) {
  if (!isPlainObject(template)) {
    return { problems: [{ path: '(template)', message: 'a template must be a JSON object' }], warnings: [] };
  }
  const ctx = new TemplateContext(template, spec, { ...DEFAULT_OPTIONS, ...options });
  const size = bytes === undefined ? Buffer.byteLength(JSON.stringify(template)) : bytes;
  checkTemplateSections(template, size, ctx);
  checkParameters(ctx);
  checkMappings(ctx);
  checkConditions(ctx);
  checkResources(ctx);
  checkOutputs(ctx);
  // Some checks see the same value twice (null, for one): report each problem once.
  const unique = (list) => [...new Map(list.map((p) => [`${p.path}\0${p.message}`, p])).values()];
  return { problems: unique(ctx.problems), warnings: unique(ctx.warnings) };
}

export function validateFile(file, spec, options = DEFAULT_OPTIONS) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { problems: [{ path: '(file)', message: `cannot read: ${err.message}` }], warnings: [], stats: '' };
  }
  let template;
  try {
    template = JSON.parse(text);
  } catch (err) {
    return { problems: [{ path: '(file)', message: `not valid JSON: ${err.message}` }], warnings: [], stats: '' };
  }
  const result = validateTemplate(template, spec, options, statSync(file).size);
  const count = (section) => (isPlainObject(template[section]) ? Object.keys(template[section]).length : 0);
  result.stats = `${count('Resources')} resources, ${count('Parameters')} parameters, ` +
    `${count('Outputs')} outputs, ${Buffer.byteLength(text)} bytes`;
  return result;
}

function parseArguments(argv) {
  const options = { ...DEFAULT_OPTIONS };
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--require-tag') {
      const m = /^([^=]+)=(.*)$/.exec(argv[++i] || '');
      if (!m) throw new Error('--require-tag takes KEY=VALUE');
      options.requiredTag = { key: m[1], value: m[2] };
    } else if (arg === '-h' || arg === '--help') {
      return { help: true };
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new Error('no template given');
  return { options, files };
}

async function main(argv) {
  let args;
  try {
    args = parseArguments(argv);
  } catch (err) {
    console.error(`validate.mjs: ${err.message}\nusage: node validate.mjs [--require-tag KEY=VALUE] TEMPLATE.json...`);
    return 2;
  }
  if (args.help) {
    console.log('usage: node validate.mjs [--require-tag KEY=VALUE] TEMPLATE.json...');
    return 0;
  }
  let spec;
  try {
    spec = await ResourceSpec.load();
  } catch (err) {
    console.error(`validate.mjs: ${err.message}`);
    return 2;
  }
  let failed = 0;
  for (const file of args.files) {
    const { problems, warnings, stats } = validateFile(file, spec, args.options);
    for (const p of problems) console.log(`${file}: ${p.path}: ${p.message}`);
    for (const w of warnings) console.log(`${file}: ${w.path}: warning: ${w.message}`);
    const verdict = problems.length ? `${problems.length} problem${problems.length === 1 ? '' : 's'}` : 'OK';
    console.log(`${file}: ${verdict}${stats ? ` (${stats})` : ''}`);
    if (problems.length) failed++;
  }
  console.log(`validate.mjs: ${args.files.length - failed} of ${args.files.length} templates valid ` +
    `against @aws-cdk/aws-service-spec ${spec.version}`);
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
