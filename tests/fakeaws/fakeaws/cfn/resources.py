"""What the fake knows per resource type: the physical ids and attributes it makes up, which
property changes replace a resource, and the side effects on the other fakes (S3 buckets, Auto
Scaling groups)."""
import hashlib
import ipaddress
import json
from urllib.parse import quote

WAIT_CONDITION = 'AWS::CloudFormation::WaitCondition'
WAIT_CONDITION_HANDLE = 'AWS::CloudFormation::WaitConditionHandle'
# How long a wait condition handle's presigned URL is valid, as CloudFormation signs it.
WAIT_HANDLE_EXPIRES_SECONDS = 86399


class HandlerError(Exception):
    """A resource handler's failure: the resource fails with this reason."""

# Fn::GetAtt attributes per type (a type not listed accepts any attribute).
GETATT_ATTRIBUTES = {
    'AWS::EC2::Instance': {'AvailabilityZone', 'PrivateDnsName', 'PrivateIp', 'PublicDnsName', 'PublicIp',
                           'InstanceId', 'VpcId'},
    'AWS::EC2::Volume': {'VolumeId'},
    'AWS::EC2::VolumeAttachment': set(),
    'AWS::EC2::SecurityGroup': {'GroupId', 'VpcId'},
    'AWS::EC2::SecurityGroupIngress': {'Id'},
    'AWS::EC2::SecurityGroupEgress': {'Id'},
    'AWS::EC2::LaunchTemplate': {'LatestVersionNumber', 'DefaultVersionNumber', 'LaunchTemplateId'},
    'AWS::IAM::Role': {'Arn', 'RoleId'},
    'AWS::IAM::InstanceProfile': {'Arn'},
    'AWS::IAM::Policy': {'Id'},
    'AWS::S3::Bucket': {'Arn', 'DomainName', 'DualStackDomainName', 'RegionalDomainName', 'WebsiteURL'},
    'AWS::S3::BucketPolicy': set(),
    'AWS::ElasticLoadBalancingV2::LoadBalancer': {'CanonicalHostedZoneID', 'DNSName', 'LoadBalancerArn',
                                                  'LoadBalancerFullName', 'LoadBalancerName', 'SecurityGroups'},
    'AWS::ElasticLoadBalancingV2::TargetGroup': {'LoadBalancerArns', 'TargetGroupArn', 'TargetGroupFullName',
                                                 'TargetGroupName'},
    'AWS::ElasticLoadBalancingV2::Listener': {'ListenerArn'},
    'AWS::AutoScaling::AutoScalingGroup': set(),
    'AWS::CloudWatch::Dashboard': set(),
    'AWS::SecretsManager::Secret': {'Id'},
    WAIT_CONDITION_HANDLE: set(),
    WAIT_CONDITION: {'Data'},
}

# IAM types (they need CAPABILITY_IAM) and the property that names one (CAPABILITY_NAMED_IAM).
IAM_NAME_PROPERTIES = {
    'AWS::IAM::Role': 'RoleName', 'AWS::IAM::InstanceProfile': 'InstanceProfileName',
    'AWS::IAM::ManagedPolicy': 'ManagedPolicyName', 'AWS::IAM::User': 'UserName',
    'AWS::IAM::Group': 'GroupName', 'AWS::IAM::Policy': None, 'AWS::IAM::AccessKey': None,
    'AWS::IAM::UserToGroupAddition': None,
}

# Properties whose change replaces the resource ('Always') or may ('Conditionally'); any other
# property updates it in place. From the resource reference's "Update requires" lines.
REPLACEMENT = {
    'AWS::EC2::Instance': {
        'Always': {'AvailabilityZone', 'ImageId', 'SubnetId', 'KeyName', 'PrivateIpAddress', 'Tenancy',
                   'NetworkInterfaces', 'PlacementGroupName', 'SecurityGroups', 'LaunchTemplate',
                   'HostId', 'CpuOptions', 'ElasticGpuSpecifications', 'Ipv6Addresses', 'HibernationOptions'},
        'Conditionally': {'BlockDeviceMappings', 'SecurityGroupIds'}},
    'AWS::EC2::Volume': {'Always': {'AvailabilityZone', 'Encrypted', 'KmsKeyId', 'SnapshotId', 'OutpostArn'}},
    'AWS::EC2::VolumeAttachment': {'Always': {'Device', 'InstanceId', 'VolumeId'}},
    'AWS::EC2::SecurityGroup': {'Always': {'GroupDescription', 'GroupName', 'VpcId'}},
    'AWS::EC2::SecurityGroupIngress': {'Always': {'CidrIp', 'CidrIpv6', 'FromPort', 'ToPort', 'GroupId',
                                                  'GroupName', 'IpProtocol', 'SourceSecurityGroupId',
                                                  'SourcePrefixListId', 'SourceSecurityGroupOwnerId'}},
    'AWS::EC2::SecurityGroupEgress': {'Always': {'CidrIp', 'CidrIpv6', 'FromPort', 'ToPort', 'GroupId',
                                                 'IpProtocol', 'DestinationSecurityGroupId',
                                                 'DestinationPrefixListId'}},
    'AWS::EC2::LaunchTemplate': {'Always': {'LaunchTemplateName'}},
    'AWS::IAM::Role': {'Always': {'RoleName', 'Path'}},
    'AWS::IAM::InstanceProfile': {'Always': {'InstanceProfileName', 'Path'}},
    'AWS::S3::Bucket': {'Always': {'BucketName', 'ObjectLockEnabled'}},
    'AWS::S3::BucketPolicy': {'Always': {'Bucket'}},
    'AWS::ElasticLoadBalancingV2::LoadBalancer': {'Always': {'Name', 'Scheme', 'Type'},
                                                  'Conditionally': {'Subnets', 'SubnetMappings'}},
    'AWS::ElasticLoadBalancingV2::TargetGroup': {'Always': {'Name', 'Port', 'Protocol', 'ProtocolVersion',
                                                            'TargetType', 'VpcId', 'IpAddressType'}},
    'AWS::ElasticLoadBalancingV2::Listener': {},
    'AWS::AutoScaling::AutoScalingGroup': {'Always': {'AutoScalingGroupName'}},
    'AWS::CloudWatch::Dashboard': {'Always': {'DashboardName'}},
    'AWS::SecretsManager::Secret': {'Always': {'Name'}},
    WAIT_CONDITION_HANDLE: {},
    # A wait condition cannot be updated: CloudFormation refuses changes to it (not modelled).
    WAIT_CONDITION: {},
}


def requires_recreation(resource_type, prop):
    rules = REPLACEMENT.get(resource_type, {})
    if prop in rules.get('Always', ()):
        return 'Always'
    if prop in rules.get('Conditionally', ()):
        return 'Conditionally'
    return 'Never'


def _generated_name(state, stack_name, logical_id, max_len=64, lower=False, sep='-'):
    """CloudFormation's '<stack>-<LogicalId>-<RANDOM>' physical names, cut to fit."""
    suffix = state.alnum(12 if lower else 13, upper=not lower)
    room = max_len - len(suffix) - 2
    stack_part = stack_name[:max(room - min(len(logical_id), room // 2), 1)]
    logical_part = logical_id[:room - len(stack_part)]
    name = f'{stack_part}{sep}{logical_part}{sep}{suffix}'
    return name.lower() if lower else name


def create(ctx, resource_type, logical_id, props):
    """(physical id, attributes) for a new resource. `ctx` is the engine's ResourceContext."""
    state, region, account, stack = ctx.state, ctx.region, ctx.account, ctx.stack_name
    maker = _MAKERS.get(resource_type)
    if maker:
        return maker(ctx, logical_id, props)
    physical = _generated_name(state, stack, logical_id)
    service = resource_type.split('::')[1].lower() if '::' in resource_type else 'custom'
    return physical, {'Arn': f'arn:aws:{service}:{region}:{account}:{logical_id.lower()}/{physical}'}


def update_attributes(ctx, resource_type, physical, attrs, old_props, new_props):
    """Attributes after an in-place update (a launch template gets a new version; a secret's
    description, tags and key change, and a changed SecretString becomes its current value)."""
    attrs = dict(attrs)
    if resource_type == 'AWS::SecretsManager::Secret':
        _update_secret(ctx, physical, old_props, new_props)
    new_data = old_props.get('LaunchTemplateData') != new_props.get('LaunchTemplateData')
    if resource_type == 'AWS::EC2::LaunchTemplate' and new_data:
        attrs['LatestVersionNumber'] = str(int(attrs.get('LatestVersionNumber', '1')) + 1)
    if resource_type == 'AWS::AutoScaling::AutoScalingGroup':
        group = ctx.state.stores['autoscaling'].data['groups'].get(f'{ctx.region}/{physical}')
        if group:
            for key in ('MinSize', 'MaxSize', 'DesiredCapacity'):
                if key in new_props:
                    group[key] = int(new_props[key])
    return attrs


def delete(ctx, resource_type, physical):
    """Side effects of deleting a resource. Returns a failure reason, or None."""
    if resource_type == 'AWS::S3::Bucket':
        bucket = ctx.state.stores['s3'].bucket(physical)
        if bucket is not None:
            if bucket['Objects']:
                return ('Resource handler returned message: "The bucket you tried to delete is not empty '
                        f'(Service: S3, Status Code: 409, Request ID: {ctx.state.alnum(16)})"')
            del ctx.state.stores['s3'].data['buckets'][physical]
    elif resource_type == 'AWS::AutoScaling::AutoScalingGroup':
        ctx.state.stores['autoscaling'].delete_group(ctx.region, physical)
    elif resource_type == 'AWS::SecretsManager::Secret':
        # CloudFormation deletes a secret without a recovery window, so that a replacement can
        # take its name at once.
        ctx.state.stores['secretsmanager'].data['secrets'].pop(physical, None)
    elif resource_type == WAIT_CONDITION_HANDLE:
        ctx.state.stores['cloudformation'].delete_wait_handle(physical)
    return None


def _instance(ctx, logical_id, props):
    state = ctx.state
    instance_id = state.hex_id('i-0', 16)
    subnet = ctx.subnet(props.get('SubnetId'))
    network = ipaddress.ip_network(subnet['CidrBlock'] if subnet else '172.31.0.0/20')
    private_ip = str(network[state.rng.randint(4, network.num_addresses - 2)])
    public_ip = f'3.{state.rng.randint(80, 239)}.{state.rng.randint(0, 255)}.{state.rng.randint(1, 254)}'
    zone = subnet['AvailabilityZone'] if subnet else props.get('AvailabilityZone', f'{ctx.region}a')
    dns_suffix = 'ec2.internal' if ctx.region == 'us-east-1' else f'{ctx.region}.compute.internal'
    return instance_id, {
        'InstanceId': instance_id, 'PrivateIp': private_ip, 'PublicIp': public_ip, 'AvailabilityZone': zone,
        'PrivateDnsName': f'ip-{private_ip.replace(".", "-")}.{dns_suffix}',
        'PublicDnsName': f'ec2-{public_ip.replace(".", "-")}.compute-1.amazonaws.com',
        'VpcId': subnet['VpcId'] if subnet else 'vpc-0a1b2c3d4e5f60001'}


def _volume(ctx, logical_id, props):
    volume_id = ctx.state.hex_id('vol-0', 16)
    return volume_id, {'VolumeId': volume_id}


def _security_group(ctx, logical_id, props):
    group_id = ctx.state.hex_id('sg-0', 16)
    return group_id, {'GroupId': group_id, 'VpcId': props.get('VpcId', 'vpc-0a1b2c3d4e5f60001')}


def _sg_rule(ctx, logical_id, props):
    rule_id = ctx.state.hex_id('sgr-0', 16)
    return rule_id, {'Id': rule_id}


def _launch_template(ctx, logical_id, props):
    lt_id = ctx.state.hex_id('lt-0', 16)
    return lt_id, {'LaunchTemplateId': lt_id, 'LatestVersionNumber': '1', 'DefaultVersionNumber': '1'}


ROLE_PROPERTIES = {'AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path',
                   'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'}
INSTANCE_PROFILE_PROPERTIES = {'InstanceProfileName', 'Path', 'Roles'}
POLICY_PROPERTIES = {'Groups', 'PolicyDocument', 'PolicyName', 'Roles', 'Users'}


def _validation_error(logical_id, message):
    return HandlerError(f'Properties validation failed for resource {logical_id} with message: {message}')


def _require(logical_id, props, *keys):
    for key in keys:
        if key not in props:
            raise _validation_error(logical_id, f'#: required key [{key}] not found')


def _check_policy_document(logical_id, where, document):
    """A policy document as IAM takes it: a Statement of statements, each with an Effect and an
    Action (or NotAction)."""
    if not isinstance(document, dict) or 'Statement' not in document:
        raise _validation_error(logical_id, f'#/{where}: a policy document needs a Statement')
    statements = document['Statement'] if isinstance(document['Statement'], list) else [document['Statement']]
    for i, st in enumerate(statements):
        if not isinstance(st, dict) or st.get('Effect') not in ('Allow', 'Deny') or \
                not ('Action' in st or 'NotAction' in st):
            raise _validation_error(logical_id, f'#/{where}/Statement/{i}: needs Effect Allow or Deny and an Action')


def _role(ctx, logical_id, props):
    _check_properties(logical_id, props, ROLE_PROPERTIES)
    _require(logical_id, props, 'AssumeRolePolicyDocument')
    _check_policy_document(logical_id, 'AssumeRolePolicyDocument', props['AssumeRolePolicyDocument'])
    for i, policy in enumerate(props.get('Policies', [])):
        _require(f'{logical_id}.Policies/{i}', policy, 'PolicyName', 'PolicyDocument')
        _check_policy_document(logical_id, f'Policies/{i}/PolicyDocument', policy['PolicyDocument'])
    for arn in props.get('ManagedPolicyArns', []):
        if not isinstance(arn, str) or not arn.startswith('arn:'):
            raise _validation_error(logical_id, f'#/ManagedPolicyArns: {arn!r} is not an ARN')
    name = props.get('RoleName') or _generated_name(ctx.state, ctx.stack_name, logical_id)
    from ..services.sts import role_id
    path = props.get('Path', '/')
    return name, {'Arn': f'arn:aws:iam::{ctx.account}:role{path}{name}', 'RoleId': role_id(name)}


def _instance_profile(ctx, logical_id, props):
    """An instance profile holds exactly one role (IAM's limit), given by name."""
    _check_properties(logical_id, props, INSTANCE_PROFILE_PROPERTIES)
    _require(logical_id, props, 'Roles')
    roles = props['Roles']
    if not isinstance(roles, list) or len(roles) != 1 or not isinstance(roles[0], str) or \
            roles[0].startswith('arn:'):
        raise _validation_error(logical_id, '#/Roles: expected exactly one role name')
    name = props.get('InstanceProfileName') or _generated_name(ctx.state, ctx.stack_name, logical_id)
    path = props.get('Path', '/')
    return name, {'Arn': f'arn:aws:iam::{ctx.account}:instance-profile{path}{name}'}


def _policy(ctx, logical_id, props):
    """An inline policy put on roles, users or groups (at least one of them), given by name."""
    _check_properties(logical_id, props, POLICY_PROPERTIES)
    _require(logical_id, props, 'PolicyName', 'PolicyDocument')
    _check_policy_document(logical_id, 'PolicyDocument', props['PolicyDocument'])
    if not any(props.get(key) for key in ('Roles', 'Users', 'Groups')):
        raise HandlerError(f'At least one of [Roles,Users,Groups] must be specified for resource {logical_id}')
    for role in props.get('Roles', []):
        if not isinstance(role, str) or role.startswith('arn:'):
            raise _validation_error(logical_id, f'#/Roles: {role!r} is not a role name')
    physical = _generated_name(ctx.state, ctx.stack_name[:5], logical_id[:5], max_len=30)
    return physical, {'Id': physical}


def _bucket(ctx, logical_id, props):
    name = props.get('BucketName') or _generated_name(ctx.state, ctx.stack_name, logical_id, max_len=63, lower=True)
    ctx.state.stores['s3'].create_bucket(name, ctx.region, ctx.stack_name)
    return name, {'Arn': f'arn:aws:s3:::{name}', 'DomainName': f'{name}.s3.amazonaws.com',
                  'DualStackDomainName': f'{name}.s3.dualstack.{ctx.region}.amazonaws.com',
                  'RegionalDomainName': f'{name}.s3.{ctx.region}.amazonaws.com',
                  'WebsiteURL': f'http://{name}.s3-website-{ctx.region}.amazonaws.com'}


def _bucket_policy(ctx, logical_id, props):
    return _generated_name(ctx.state, ctx.stack_name, logical_id), {}


def _elb_name(ctx, logical_id, props):
    return props.get('Name') or _generated_name(ctx.state, ctx.stack_name[:6], logical_id[:5], max_len=32)


def _load_balancer(ctx, logical_id, props):
    name = _elb_name(ctx, logical_id, props)
    suffix = ctx.state.hex_id('', 16)
    kind = 'net' if props.get('Type') == 'network' else 'app'
    arn = f'arn:aws:elasticloadbalancing:{ctx.region}:{ctx.account}:loadbalancer/{kind}/{name}/{suffix}'
    number = ctx.state.rng.randint(10 ** 9, 10 ** 10 - 1)
    dns = f'{name}-{number}.{ctx.region}.elb.amazonaws.com'
    if props.get('Scheme') == 'internal':
        dns = 'internal-' + dns
    return arn, {'LoadBalancerArn': arn, 'DNSName': dns, 'LoadBalancerName': name,
                 'LoadBalancerFullName': f'{kind}/{name}/{suffix}', 'CanonicalHostedZoneID': 'Z35SXDOTRQ7X7K',
                 'SecurityGroups': list(props.get('SecurityGroups', []))}


def _target_group(ctx, logical_id, props):
    name = _elb_name(ctx, logical_id, props)
    suffix = ctx.state.hex_id('', 16)
    arn = f'arn:aws:elasticloadbalancing:{ctx.region}:{ctx.account}:targetgroup/{name}/{suffix}'
    return arn, {'TargetGroupArn': arn, 'TargetGroupName': name, 'TargetGroupFullName': f'targetgroup/{name}/{suffix}',
                 'LoadBalancerArns': []}


def _listener(ctx, logical_id, props):
    lb = str(props.get('LoadBalancerArn', ''))
    lb_part = lb.split(':loadbalancer/', 1)[-1] if ':loadbalancer/' in lb else f'app/lb/{ctx.state.hex_id("", 16)}'
    arn = (f'arn:aws:elasticloadbalancing:{ctx.region}:{ctx.account}:listener/{lb_part}/'
           f'{ctx.state.hex_id("", 16)}')
    return arn, {'ListenerArn': arn}


def _auto_scaling_group(ctx, logical_id, props):
    name = props.get('AutoScalingGroupName') or _generated_name(ctx.state, ctx.stack_name, logical_id, max_len=255)
    zones = props.get('VPCZoneIdentifier') or []
    subnets = [ctx.subnet(s) or {'SubnetId': s, 'AvailabilityZone': f'{ctx.region}a'} for s in zones]
    ctx.state.stores['autoscaling'].create_group(ctx.region, ctx.account, name, props, subnets, ctx.stack_name)
    return name, {}


def _dashboard(ctx, logical_id, props):
    return props.get('DashboardName') or _generated_name(ctx.state, ctx.stack_name, logical_id), {}


def _volume_attachment(ctx, logical_id, props):
    return f"{props.get('VolumeId', 'vol')}-{props.get('InstanceId', 'i')}", {}


# -- Secrets Manager ---------------------------------------------------------------------------

SECRET_PROPERTIES = {'Name', 'Description', 'SecretString', 'GenerateSecretString', 'KmsKeyId', 'Tags',
                     'ReplicaRegions'}
GENERATE_PROPERTIES = {'ExcludeCharacters', 'ExcludeLowercase', 'ExcludeNumbers', 'ExcludePunctuation',
                       'ExcludeUppercase', 'GenerateStringKey', 'IncludeSpace', 'PasswordLength',
                       'RequireEachIncludedType', 'SecretStringTemplate'}


def _handler_message(ctx, message, code, status=400):
    return (f'Resource handler returned message: "{message} (Service: SecretsManager, Status Code: {status}, '
            f'Request ID: {ctx.state.uuid()})" (RequestToken: {ctx.state.uuid()}, HandlerErrorCode: {code})')


def _check_properties(logical_id, props, allowed):
    for key in sorted(props):
        if key not in allowed:
            raise HandlerError(f'Properties validation failed for resource {logical_id} with message: '
                               f'#: extraneous key [{key}] is not permitted')


def _generated_secret(ctx, spec):
    """GenerateSecretString's value: a password, or a JSON template with the password added."""
    length = int(spec.get('PasswordLength', 32))
    alphabet = ''
    if not spec.get('ExcludeUppercase'):
        alphabet += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    if not spec.get('ExcludeLowercase'):
        alphabet += 'abcdefghijklmnopqrstuvwxyz'
    if not spec.get('ExcludeNumbers'):
        alphabet += '0123456789'
    if not spec.get('ExcludePunctuation'):
        alphabet += '!#$%&()*+,-.:;<=>?@[]^_{|}~'
    alphabet = ''.join(c for c in alphabet if c not in spec.get('ExcludeCharacters', '')) or 'x'
    password = ''.join(ctx.state.rng.choice(alphabet) for _ in range(length))
    if 'SecretStringTemplate' in spec:
        value = json.loads(spec['SecretStringTemplate'])
        value[spec['GenerateStringKey']] = password
        return json.dumps(value)
    return password


def _secret(ctx, logical_id, props):
    """AWS::SecretsManager::Secret: a secret in the fake Secrets Manager, its ARN the physical id.
    Neither SecretString nor GenerateSecretString: a secret without a value, as documented."""
    _check_properties(logical_id, props, SECRET_PROPERTIES)
    generate = props.get('GenerateSecretString')
    if 'SecretString' in props and generate is not None:
        raise HandlerError(_handler_message(ctx, "You can't specify both SecretString and GenerateSecretString.",
                                            'InvalidRequest'))
    if generate is not None:
        _check_properties(f'{logical_id}.GenerateSecretString', generate, GENERATE_PROPERTIES)
        if ('SecretStringTemplate' in generate) != ('GenerateStringKey' in generate):
            raise HandlerError(_handler_message(ctx, 'SecretStringTemplate and GenerateStringKey must be '
                                                'specified together.', 'InvalidRequest'))
    store = ctx.state.stores['secretsmanager']
    name = props.get('Name') or f'{logical_id}-{ctx.state.alnum(12)}'
    if any(s['Name'] == name and s['Region'] == ctx.region for s in store.data['secrets'].values()):
        raise HandlerError(_handler_message(ctx, f'The operation failed because the secret {name} already exists.',
                                            'AlreadyExists'))
    value = props.get('SecretString')
    if generate is not None:
        value = _generated_secret(ctx, generate)
    arn = store.add_secret(ctx.region, ctx.account, name, value, description=props.get('Description'),
                           tags=props.get('Tags', []), kms_key_id=props.get('KmsKeyId'))
    return arn, {'Id': arn}


def _update_secret(ctx, arn, old_props, new_props):
    secret = ctx.state.stores['secretsmanager'].data['secrets'].get(arn)
    if secret is None:
        return
    secret['Description'] = new_props.get('Description')
    secret['Tags'] = new_props.get('Tags', [])
    secret['KmsKeyId'] = new_props.get('KmsKeyId')
    if 'SecretString' in new_props and new_props.get('SecretString') != old_props.get('SecretString'):
        ctx.state.stores['secretsmanager'].put_value(secret, new_props['SecretString'])


# -- wait conditions ----------------------------------------------------------------------------


def _wait_condition_handle(ctx, logical_id, props):
    """A presigned-looking URL on the fake itself, which takes the PUT of a signal (app.py)."""
    _check_properties(logical_id, props, set())
    now = ctx.state.clock.now()
    stamp = now.strftime('%Y%m%dT%H%M%SZ')
    signature = hashlib.sha256(f'{ctx.stack_id}/{logical_id}/{ctx.state.uuid()}'.encode()).hexdigest()
    path = f'/cloudformation-waitcondition-{ctx.region}/{quote(ctx.stack_id, safe="")}/{logical_id}'
    url = (f'{ctx.state.server_url}{path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={stamp}'
           f'&X-Amz-SignedHeaders=host&X-Amz-Expires={WAIT_HANDLE_EXPIRES_SECONDS}'
           f'&X-Amz-Credential=AKIAIIT3CWAIMJYUTISA%2F{stamp[:8]}%2F{ctx.region}%2Fs3%2Faws4_request'
           f'&X-Amz-Signature={signature}')
    ctx.state.stores['cloudformation'].add_wait_handle(url, path, signature, ctx.stack_id, logical_id, now)
    return url, {}


def _wait_condition(ctx, logical_id, props):
    _check_properties(logical_id, props, {'Handle', 'Count', 'Timeout'})
    for key in ('Handle', 'Timeout'):
        if key not in props:
            raise HandlerError(f'Properties validation failed for resource {logical_id} with message: '
                               f'#: required key [{key}] not found')
    try:
        timeout, count = int(props['Timeout']), int(props.get('Count', 1))
    except (TypeError, ValueError):
        raise HandlerError('Timeout and Count must be integers') from None
    if not 0 < timeout <= 43200:
        raise HandlerError('Timeout must be a number of seconds from 1 to 43200 (12 hours)')
    if count < 1:
        raise HandlerError('Count must be at least 1')
    if ctx.state.stores['cloudformation'].wait_handle(props['Handle']) is None:
        raise HandlerError(f'Handle {props["Handle"]} is not a wait condition handle of this region')
    physical = f'{ctx.stack_id}/{logical_id}'
    return physical, {'Data': '{}'}


_MAKERS = {
    'AWS::EC2::Instance': _instance,
    'AWS::EC2::Volume': _volume,
    'AWS::EC2::VolumeAttachment': _volume_attachment,
    'AWS::EC2::SecurityGroup': _security_group,
    'AWS::EC2::SecurityGroupIngress': _sg_rule,
    'AWS::EC2::SecurityGroupEgress': _sg_rule,
    'AWS::EC2::LaunchTemplate': _launch_template,
    'AWS::IAM::Role': _role,
    'AWS::IAM::InstanceProfile': _instance_profile,
    'AWS::IAM::Policy': _policy,
    'AWS::S3::Bucket': _bucket,
    'AWS::S3::BucketPolicy': _bucket_policy,
    'AWS::ElasticLoadBalancingV2::LoadBalancer': _load_balancer,
    'AWS::ElasticLoadBalancingV2::TargetGroup': _target_group,
    'AWS::ElasticLoadBalancingV2::Listener': _listener,
    'AWS::AutoScaling::AutoScalingGroup': _auto_scaling_group,
    'AWS::CloudWatch::Dashboard': _dashboard,
    'AWS::SecretsManager::Secret': _secret,
    WAIT_CONDITION_HANDLE: _wait_condition_handle,
    WAIT_CONDITION: _wait_condition,
}
