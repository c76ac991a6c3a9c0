"""EC2: the VPC fixture (DescribeVpcs, DescribeSubnets, DescribeAvailabilityZones), and the instances
the stacks run (DescribeInstances): AWS::EC2::Instance resources and Auto Scaling groups' instances,
tagged with their stack as CloudFormation tags them.

`default`: in every region, default VPC vpc-0a1b2c3d4e5f60001 (172.31.0.0/16) with one public /20
default subnet per availability zone. `no-default-vpc`: no VPC at all.
"""
import fnmatch
import ipaddress
import re

from ..errors import AwsError
from .base import Service, Store

DEFAULT_VPC_ID = 'vpc-0a1b2c3d4e5f60001'
_ZONE_COUNT = {'us-east-1': 6, 'us-west-2': 4, 'us-west-1': 2, 'ap-northeast-1': 3}


def region_short(region):
    area, direction, number = (region.split('-') + ['', ''])[:3]
    letters = ''.join(w[0] for w in re.findall('north|south|east|west|central', direction))
    return f'{area}{letters}{number}'


def zones(region):
    count = _ZONE_COUNT.get(region, 3)
    letters = 'bc' if region == 'us-west-1' else 'abcdef'[:count]
    return [{'ZoneName': f'{region}{letter}', 'ZoneId': f'{region_short(region)}-az{i + 1}',
             'RegionName': region} for i, letter in enumerate(letters)]


class Ec2Store(Store):
    def vpcs(self, region, account):
        if self.state.fixture == 'no-default-vpc':
            return []
        return [{'VpcId': DEFAULT_VPC_ID, 'CidrBlock': '172.31.0.0/16', 'State': 'available',
                 'DhcpOptionsId': 'dopt-0a1b2c3d4e5f60001', 'InstanceTenancy': 'default',
                 'IsDefault': True, 'OwnerId': account,
                 'CidrBlockAssociationSet': [{'AssociationId': 'vpc-cidr-assoc-0a1b2c3d4e5f60001',
                                              'CidrBlock': '172.31.0.0/16',
                                              'CidrBlockState': {'State': 'associated'}}]}]

    def subnets(self, region, account):
        out = []
        for vpc in self.vpcs(region, account):
            network = ipaddress.ip_network(vpc['CidrBlock'])
            blocks = list(network.subnets(new_prefix=20))
            for i, zone in enumerate(zones(region)):
                subnet_id = f'subnet-0a1b2c3d4e5f6{i + 1:04x}'
                out.append({'SubnetId': subnet_id, 'VpcId': vpc['VpcId'], 'CidrBlock': str(blocks[i]),
                            'AvailabilityZone': zone['ZoneName'], 'AvailabilityZoneId': zone['ZoneId'],
                            'AvailableIpAddressCount': 4091, 'DefaultForAz': True,
                            'MapPublicIpOnLaunch': True, 'State': 'available', 'OwnerId': account,
                            'AssignIpv6AddressOnCreation': False, 'Ipv6CidrBlockAssociationSet': [],
                            'MapCustomerOwnedIpOnLaunch': False, 'EnableDns64': False,
                            'Ipv6Native': False,
                            'SubnetArn': f'arn:aws:ec2:{region}:{account}:subnet/{subnet_id}'})
        return out

    def subnet(self, region, account, subnet_id):
        for subnet in self.subnets(region, account):
            if subnet['SubnetId'] == subnet_id:
                return subnet
        return None

    def instances(self, region):
        """Every instance of the region's stacks and groups, as DescribeInstances shows it."""
        out = []
        for stack in self.state.stores['cloudformation'].stacks(region):
            for lid, res in stack['Resources'].items():
                if res['ResourceType'] != 'AWS::EC2::Instance' or not res['PhysicalResourceId']:
                    continue
                attrs = res.get('Attrs', {})
                gone = res['ResourceStatus'] in ('DELETE_COMPLETE', 'DELETE_SKIPPED') or \
                    stack['StackStatus'] == 'DELETE_COMPLETE'
                props = (res.get('Props') or {})
                out.append(self._instance(res['PhysicalResourceId'], 'terminated' if gone else 'running',
                                          props.get('InstanceType', 'm5.large'),
                                          attrs.get('AvailabilityZone', f'{region}a'),
                                          attrs.get('PrivateIp', ''), attrs.get('PublicIp', ''),
                                          stack['StackName'], lid, stack['CreationTime']))
        for group in self.state.stores['autoscaling'].data.get('groups', {}).values():
            if group.get('Region') != region:
                continue
            for inst in group['Instances']:
                out.append(self._instance(inst['InstanceId'], 'running', inst.get('InstanceType', 'm5.large'),
                                          inst['AvailabilityZone'], '', '', group.get('Stack') or '',
                                          None, group['CreatedTime']))
        return out

    @staticmethod
    def _instance(instance_id, state, instance_type, zone, private_ip, public_ip, stack, logical_id, launched):
        codes = {'pending': 0, 'running': 16, 'stopping': 64, 'stopped': 80, 'terminated': 48}
        tags = [{'Key': 'aws:cloudformation:stack-name', 'Value': stack}] if stack else []
        if logical_id:
            tags.append({'Key': 'aws:cloudformation:logical-id', 'Value': logical_id})
        inst = {'InstanceId': instance_id, 'InstanceType': instance_type,
                'State': {'Code': codes[state], 'Name': state}, 'Placement': {'AvailabilityZone': zone},
                'LaunchTime': launched, 'Tags': tags}
        if private_ip:
            inst['PrivateIpAddress'] = private_ip
        if public_ip and state == 'running':
            inst['PublicIpAddress'] = public_ip
        return inst

    def view(self, bodies=False):
        return {}


def _apply_filters(items, filters, fields):
    """EC2 filters: every filter must match (any of its values, with * and ? wildcards)."""
    for flt in filters or []:
        name = flt.get('Name')
        if name not in fields:
            raise AwsError('InvalidParameterValue', f"The filter '{name}' is invalid")
        getter = fields[name]
        values = flt.get('Values', [])
        items = [item for item in items
                 if any(fnmatch.fnmatchcase(_text(getter(item)), v) for v in values)]
    return items


def _text(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return str(value)


class Ec2(Service):
    name = 'ec2'

    def DescribeVpcs(self, call):
        vpcs = self.store.vpcs(call.region, call.account)
        wanted = call.params.get('VpcIds')
        if wanted:
            known = {v['VpcId'] for v in vpcs}
            for vpc_id in wanted:
                if vpc_id not in known:
                    raise AwsError('InvalidVpcID.NotFound', f"The vpc ID '{vpc_id}' does not exist")
            vpcs = [v for v in vpcs if v['VpcId'] in wanted]
        fields = {'isDefault': lambda v: v['IsDefault'], 'is-default': lambda v: v['IsDefault'],
                  'vpc-id': lambda v: v['VpcId'], 'cidr': lambda v: v['CidrBlock'],
                  'cidr-block-association.cidr-block': lambda v: v['CidrBlock'],
                  'state': lambda v: v['State'], 'owner-id': lambda v: v['OwnerId'],
                  'dhcp-options-id': lambda v: v['DhcpOptionsId']}
        return {'Vpcs': _apply_filters(vpcs, call.params.get('Filters'), fields)}

    def DescribeSubnets(self, call):
        subnets = self.store.subnets(call.region, call.account)
        wanted = call.params.get('SubnetIds')
        if wanted:
            known = {s['SubnetId'] for s in subnets}
            for subnet_id in wanted:
                if subnet_id not in known:
                    raise AwsError('InvalidSubnetID.NotFound', f"The subnet ID '{subnet_id}' does not exist")
            subnets = [s for s in subnets if s['SubnetId'] in wanted]
        fields = {'vpc-id': lambda s: s['VpcId'], 'vpcId': lambda s: s['VpcId'],
                  'subnet-id': lambda s: s['SubnetId'], 'subnetId': lambda s: s['SubnetId'],
                  'default-for-az': lambda s: s['DefaultForAz'], 'defaultForAz': lambda s: s['DefaultForAz'],
                  'availability-zone': lambda s: s['AvailabilityZone'],
                  'availabilityZone': lambda s: s['AvailabilityZone'],
                  'availability-zone-id': lambda s: s['AvailabilityZoneId'],
                  'cidr-block': lambda s: s['CidrBlock'], 'cidrBlock': lambda s: s['CidrBlock'],
                  'state': lambda s: s['State'], 'owner-id': lambda s: s['OwnerId'],
                  'map-public-ip-on-launch': lambda s: s['MapPublicIpOnLaunch']}
        return {'Subnets': _apply_filters(subnets, call.params.get('Filters'), fields)}

    def DescribeInstances(self, call):
        instances = self.store.instances(call.region)
        wanted = call.params.get('InstanceIds')
        if wanted:
            known = {i['InstanceId'] for i in instances}
            for instance_id in wanted:
                if instance_id not in known:
                    raise AwsError('InvalidInstanceID.NotFound',
                                   f"The instance ID '{instance_id}' does not exist")
            instances = [i for i in instances if i['InstanceId'] in wanted]

        def tag(key):
            return lambda i: next((t['Value'] for t in i['Tags'] if t['Key'] == key), '')

        fields = {'instance-id': lambda i: i['InstanceId'],
                  'instance-state-name': lambda i: i['State']['Name'],
                  'instance-type': lambda i: i['InstanceType'],
                  'availability-zone': lambda i: i['Placement']['AvailabilityZone']}
        filters = call.params.get('Filters') or []
        for flt in filters:
            if flt.get('Name', '').startswith('tag:'):
                fields[flt['Name']] = tag(flt['Name'][4:])
        instances = _apply_filters(instances, filters, fields)
        reservations = [{'ReservationId': f"r-{i['InstanceId'][2:]}", 'OwnerId': call.account, 'Instances': [i]}
                        for i in instances]
        return {'Reservations': reservations}

    def DescribeAvailabilityZones(self, call):
        azs = [dict(z, State='available', OptInStatus='opt-in-not-required', Messages=[],
                    GroupName=call.region, NetworkBorderGroup=call.region, ZoneType='availability-zone')
               for z in zones(call.region)]
        names = call.params.get('ZoneNames')
        if names:
            for name in names:
                if name not in {z['ZoneName'] for z in azs}:
                    raise AwsError('InvalidParameterValue',
                                   f"The zone '{name}' does not exist in the current region")
            azs = [z for z in azs if z['ZoneName'] in names]
        ids = call.params.get('ZoneIds')
        if ids:
            azs = [z for z in azs if z['ZoneId'] in ids]
        fields = {'zone-name': lambda z: z['ZoneName'], 'zone-id': lambda z: z['ZoneId'],
                  'region-name': lambda z: z['RegionName'], 'state': lambda z: z['State'],
                  'zone-type': lambda z: z['ZoneType'], 'group-name': lambda z: z['GroupName'],
                  'opt-in-status': lambda z: z['OptInStatus']}
        return {'AvailabilityZones': _apply_filters(azs, call.params.get('Filters'), fields)}
