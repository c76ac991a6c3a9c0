"""Auto Scaling: the groups CloudFormation stacks create (or /__fake/state seeds), their instances
and launch lifecycle actions: DescribeAutoScalingGroups, DescribeAutoScalingInstances,
CompleteLifecycleAction, RecordLifecycleActionHeartbeat."""
from .base import Service, Store


class AutoScalingStore(Store):
    def empty(self):
        return {'groups': {}}  # (region, name) is the key: "region/name"

    def create_group(self, region, account, name, props, subnets, stack=None):
        """A group as an AWS::AutoScaling::AutoScalingGroup creates it, with its instances."""
        hooks = [{'LifecycleHookName': h.get('LifecycleHookName'), 'AutoScalingGroupName': name,
                  'LifecycleTransition': h.get('LifecycleTransition'),
                  'HeartbeatTimeout': int(h.get('HeartbeatTimeout', 3600)),
                  'DefaultResult': h.get('DefaultResult', 'ABANDON')}
                 for h in props.get('LifecycleHookSpecificationList', [])]
        desired = int(props.get('DesiredCapacity', props.get('MinSize', 0)))
        zones = sorted({s['AvailabilityZone'] for s in subnets}) or [f'{region}a']
        group = {
            'AutoScalingGroupName': name,
            'AutoScalingGroupARN': f'arn:aws:autoscaling:{region}:{account}:autoScalingGroup:'
                                   f'{self.state.uuid()}:autoScalingGroupName/{name}',
            'MinSize': int(props.get('MinSize', 0)), 'MaxSize': int(props.get('MaxSize', 0)),
            'DesiredCapacity': desired, 'DefaultCooldown': 300, 'AvailabilityZones': zones,
            'VPCZoneIdentifier': ','.join(s['SubnetId'] for s in subnets),
            'HealthCheckType': props.get('HealthCheckType', 'EC2'),
            'HealthCheckGracePeriod': int(props.get('HealthCheckGracePeriod', 0)),
            'TargetGroupARNs': list(props.get('TargetGroupARNs', [])),
            'LaunchTemplate': _launch_template(props),
            'CreatedTime': self.state.clock.now(), 'Instances': [], 'LifecycleHooks': hooks,
            'Tags': [{'ResourceId': name, 'ResourceType': 'auto-scaling-group', 'Key': t['Key'],
                      'Value': t['Value'], 'PropagateAtLaunch': bool(t.get('PropagateAtLaunch', False))}
                     for t in props.get('Tags', [])],
            'Region': region, 'Stack': stack}
        for i in range(desired):
            self.launch(group, zones[i % len(zones)])
        self.data['groups'][f'{region}/{name}'] = group
        return group

    def launch(self, group, zone):
        waits = any(h['LifecycleTransition'] == 'autoscaling:EC2_INSTANCE_LAUNCHING' for h in group['LifecycleHooks'])
        group['Instances'].append({
            'InstanceId': self.state.hex_id('i-0', 16), 'InstanceType': 'm5.large', 'AvailabilityZone': zone,
            'LifecycleState': 'Pending:Wait' if waits else 'InService', 'HealthStatus': 'Healthy',
            'LaunchTemplate': group['LaunchTemplate'], 'ProtectedFromScaleIn': False,
            'LifecycleActionToken': self.state.uuid() if waits else None, 'Heartbeats': 0})

    def delete_group(self, region, name):
        self.data['groups'].pop(f'{region}/{name}', None)

    def seed(self, data):
        for spec in data.get('autoscaling_groups', []):
            region = spec.get('region', 'us-east-1')
            subnets = [{'SubnetId': f'subnet-0a1b2c3d4e5f6{i + 1:04x}', 'AvailabilityZone': z}
                       for i, z in enumerate(spec.get('zones', [f'{region}a', f'{region}b']))]
            self.create_group(region, '111111111111', spec['name'], spec, subnets)

    def view(self, bodies=False):
        return {'autoscaling_groups': {
            key: {'instances': [{'id': i['InstanceId'], 'state': i['LifecycleState'],
                                 'heartbeats': i['Heartbeats']} for i in g['Instances']],
                  'desired': g['DesiredCapacity']}
            for key, g in self.data['groups'].items()}}


def _launch_template(props):
    spec = props.get('LaunchTemplate')
    if not spec:
        return None
    return {'LaunchTemplateId': spec.get('LaunchTemplateId'), 'LaunchTemplateName': spec.get('LaunchTemplateName'),
            'Version': str(spec.get('Version', '$Default'))}


def _public(instance):
    return {k: v for k, v in instance.items() if k not in ('LifecycleActionToken', 'Heartbeats')}


class AutoScaling(Service):
    name = 'autoscaling'

    def _groups(self, call):
        return [g for g in self.store.data['groups'].values() if g['Region'] == call.region]

    def _group(self, call, name):
        for group in self._groups(call):
            if name in (group['AutoScalingGroupName'], group['AutoScalingGroupARN']):
                return group
        raise self.error('ValidationError', f'AutoScalingGroup name not found - AutoScalingGroup {name} not found',
                         400)

    def DescribeAutoScalingGroups(self, call):
        names = call.params.get('AutoScalingGroupNames')
        groups = self._groups(call)
        if names:
            groups = [g for g in groups if g['AutoScalingGroupName'] in names]
        for flt in call.params.get('Filters', []):
            name, values = flt.get('Name', ''), flt.get('Values', [])
            if name.startswith('tag:'):
                groups = [g for g in groups if any(t['Key'] == name[4:] and t['Value'] in values for t in g['Tags'])]
            elif name == 'tag-key':
                groups = [g for g in groups if any(t['Key'] in values for t in g['Tags'])]
            elif name == 'tag-value':
                groups = [g for g in groups if any(t['Value'] in values for t in g['Tags'])]
            else:
                raise self.error('ValidationError', f'Filter {name} is not supported', 400)
        out = []
        for g in groups:
            view = {k: v for k, v in g.items() if k not in ('Region', 'Stack', 'LifecycleHooks')}
            view['Instances'] = [_public(i) for i in g['Instances']]
            out.append(view)
        return {'AutoScalingGroups': out}

    def DescribeAutoScalingInstances(self, call):
        wanted = call.params.get('InstanceIds')
        out = []
        for group in self._groups(call):
            for inst in group['Instances']:
                if not wanted or inst['InstanceId'] in wanted:
                    view = _public(inst)
                    view['AutoScalingGroupName'] = group['AutoScalingGroupName']
                    view.pop('LifecycleState')
                    view['LifecycleState'] = inst['LifecycleState']
                    view['HealthStatus'] = 'HEALTHY'
                    out.append(view)
        return {'AutoScalingInstances': out}

    def _lifecycle_instance(self, call):
        params = call.params
        group = self._group(call, params['AutoScalingGroupName'])
        if not any(h['LifecycleHookName'] == params['LifecycleHookName'] for h in group['LifecycleHooks']):
            raise self.error('ValidationError', f"No Lifecycle Hook found with name {params['LifecycleHookName']} "
                             f"for group {group['AutoScalingGroupName']}", 400)
        instance_id, token = params.get('InstanceId'), params.get('LifecycleActionToken')
        if not instance_id and not token:
            raise self.error('ValidationError', 'Either InstanceId or LifecycleActionToken must be specified.',
                             400)
        for inst in group['Instances']:
            by_id = instance_id and inst['InstanceId'] == instance_id
            by_token = token and inst['LifecycleActionToken'] == token
            if inst['LifecycleState'] == 'Pending:Wait' and (by_id or by_token):
                return group, inst
        if instance_id:
            raise self.error('ValidationError', f'No active Lifecycle Action found with instance ID {instance_id}',
                             400)
        raise self.error('ValidationError', f'No active Lifecycle Action found with token {token}', 400)

    def CompleteLifecycleAction(self, call):
        group, inst = self._lifecycle_instance(call)
        result = call.params['LifecycleActionResult']
        if result not in ('CONTINUE', 'ABANDON'):
            raise self.error('ValidationError', f'Invalid value for LifecycleActionResult: {result}', 400)
        inst['LifecycleActionToken'] = None
        if result == 'CONTINUE':
            inst['LifecycleState'] = 'InService'
        else:
            group['Instances'].remove(inst)
            self.store.launch(group, inst['AvailabilityZone'])
        return {}

    def RecordLifecycleActionHeartbeat(self, call):
        _, inst = self._lifecycle_instance(call)
        inst['Heartbeats'] += 1
        return {}
