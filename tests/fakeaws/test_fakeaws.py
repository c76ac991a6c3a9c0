"""Tests of the fake AWS endpoints, driven through botocore's own serializers and parsers.

Run: python3 -m unittest discover -s tests/fakeaws
"""
import base64
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fakeaws  # noqa: E402  (Debian's botocore first)
import botocore.session  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError  # noqa: E402

KEY, SECRET = fakeaws.DEFAULT_ACCESS_KEY_ID, fakeaws.DEFAULT_SECRET_ACCESS_KEY
TEMPLATES = os.path.join(HERE, 'templates')
NO_RETRY = Config(retries={'total_max_attempts': 1}, connect_timeout=5, read_timeout=10)


class Fake:
    """A server.py process: starts it, reads PORT, makes clients, talks to the control API."""

    def __init__(self, *args):
        self.process = subprocess.Popen([sys.executable, os.path.join(HERE, 'server.py'), '--port', '0', *args],
                                        stdout=subprocess.PIPE, text=True)
        self.imds_port = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError('server.py exited before printing PORT')
            key, value = line.split()
            if key == 'IMDS_PORT':
                self.imds_port = int(value)
            if key == 'PORT':
                self.port = int(value)
                break
        self.url = f'http://127.0.0.1:{self.port}'
        self.session = botocore.session.get_session()
        self.clients = {}

    def stop(self):
        for client in self.clients.values():
            client.close()
        self.process.terminate()
        code = self.process.wait(10)
        self.process.stdout.close()
        assert code == 0, f'server.py exited with {code}'

    def client(self, service, key=KEY, secret=SECRET, token=None, region='us-east-1', config=NO_RETRY):
        cache_key = (service, key, secret, token, region, id(config))
        if cache_key not in self.clients:
            self.clients[cache_key] = self.session.create_client(
                service, region_name=region, endpoint_url=self.url, aws_access_key_id=key,
                aws_secret_access_key=secret, aws_session_token=token, config=config)
        return self.clients[cache_key]

    def control(self, path, body=None, method=None, port=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f'http://127.0.0.1:{port or self.port}/__fake/{path}', data,
                                         method=method or ('POST' if data is not None else 'GET'))
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def tick(self, count=1):
        return self.control('clock', {'ticks': count})

    def raw(self, service, body=b'', method='POST', path='/', headers=None, secret=SECRET, region='us-east-1',
            tamper=None):
        """A request signed by botocore's SigV4Auth and sent as is (tamper(request) may change it after)."""
        request = AWSRequest(method=method, url=self.url + path, data=body, headers=dict(headers or {}))
        auth = SigV4Auth(Credentials(KEY, secret), service, region)
        auth.add_auth(request)
        prepared = request.prepare()
        out_headers = dict(prepared.headers.items())
        data = prepared.body
        if tamper:
            data, out_headers = tamper(data, out_headers)
        req = urllib.request.Request(prepared.url, data=data, headers=out_headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()


def setUpModule():
    global FAKE
    FAKE = Fake('--tick-ms', '0', '--imds-port', '0', '--seed', '7', '--credential-ttl', '600')


def tearDownModule():
    FAKE.stop()


def error_of(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ClientError as error:
        return error.response['Error']['Code'], error.response['Error'].get('Message', ''), \
            error.response['ResponseMetadata']['HTTPStatusCode']
    raise AssertionError('no error')


def template(name):
    with open(os.path.join(TEMPLATES, name)) as f:
        return f.read()


class CloudFormationDriver:
    """Change sets and waits, ticking the fake's clock by hand (the server runs with --tick-ms 0)."""

    def __init__(self, fake):
        self.fake = fake
        self.cfn = fake.client('cloudformation')

    def change_set(self, stack, name, body=None, kind='UPDATE', params=None, expect='CREATE_COMPLETE', **kwargs):
        args = dict(StackName=stack, ChangeSetName=name, ChangeSetType=kind, Capabilities=['CAPABILITY_IAM'],
                    Parameters=[{'ParameterKey': k, 'ParameterValue': v} for k, v in (params or {}).items()], **kwargs)
        if body is not None:
            args['TemplateBody'] = body
        self.cfn.create_change_set(**args)
        for _ in range(10):
            described = self.cfn.describe_change_set(StackName=stack, ChangeSetName=name)
            if described['Status'] in ('CREATE_COMPLETE', 'FAILED'):
                break
            self.fake.tick()
        assert described['Status'] == expect, described.get('StatusReason')
        return described

    def wait(self, stack, limit=400):
        for _ in range(limit):
            status = self.cfn.describe_stacks(StackName=stack)['Stacks'][0]
            if not status['StackStatus'].endswith('_IN_PROGRESS'):
                return status
            self.fake.tick()
        raise AssertionError(f'{stack} still {status["StackStatus"]}')

    def deploy(self, stack, body, params=None, kind='CREATE', name='deploy1'):
        self.change_set(stack, name, body, kind, params)
        self.cfn.execute_change_set(StackName=stack, ChangeSetName=name)
        return self.wait(stack)

    def events(self, stack):
        """All events, oldest first, through NextToken pages."""
        events, token = [], None
        while True:
            page = self.cfn.describe_stack_events(StackName=stack, **({'NextToken': token} if token else {}))
            events.extend(page['StackEvents'])
            token = page.get('NextToken')
            if not token:
                return list(reversed(events))


SIMPLE = json.dumps({
    'Parameters': {'Size': {'Type': 'Number', 'Default': '10'}},
    'Resources': {
        'Group': {'Type': 'AWS::EC2::SecurityGroup',
                  'Properties': {'GroupDescription': 'g', 'VpcId': 'vpc-0a1b2c3d4e5f60001'}},
        'Volume': {'Type': 'AWS::EC2::Volume', 'DependsOn': 'Group',
                   'Properties': {'AvailabilityZone': 'us-east-1a', 'Size': {'Ref': 'Size'}}},
    },
    'Outputs': {'GroupId': {'Value': {'Fn::GetAtt': ['Group', 'GroupId']}},
                'Volume': {'Value': {'Fn::Sub': 'volume ${Volume} in ${AWS::Region}'}}},
})


# ------------------------------------------------------------------------------------------------
class SignatureTests(unittest.TestCase):
    def test_good_signature_is_logged_with_parsed_parameters(self):
        identity = FAKE.client('sts').get_caller_identity()
        self.assertEqual(identity['Account'], '111111111111')
        entry = FAKE.control('requests?service=sts&operation=GetCallerIdentity')[-1]
        self.assertTrue(entry['signature_ok'])
        self.assertEqual(entry['params'], {})
        FAKE.client('ssm').get_parameters(Names=['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64'])
        entry = FAKE.control('requests?operation=GetParameters')[-1]
        self.assertEqual(entry['params'], {'Names': ['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64']})

    def test_wrong_secret(self):
        for service, call, code, status in (
                ('sts', 'get_caller_identity', 'SignatureDoesNotMatch', 403),
                ('cloudformation', 'list_exports', 'SignatureDoesNotMatch', 403),
                ('ec2', 'describe_vpcs', 'SignatureDoesNotMatch', 403),
                ('ssm', 'describe_parameters', 'InvalidSignatureException', 400),
                ('s3', 'list_buckets', 'SignatureDoesNotMatch', 403)):
            with self.subTest(service=service):
                client = FAKE.client(service, secret='not-the-secret')
                got = error_of(getattr(client, call))
                self.assertEqual((got[0], got[2]), (code, status))
        entry = FAKE.control('requests?service=sts')[-1]
        self.assertFalse(entry['signature_ok'])
        self.assertIn('expected_canonical_request', entry)

    def test_unknown_key(self):
        for service, call, code in (('sts', 'get_caller_identity', 'InvalidClientTokenId'),
                                    ('ec2', 'describe_vpcs', 'AuthFailure'),
                                    ('secretsmanager', 'list_secrets', 'UnrecognizedClientException'),
                                    ('s3', 'list_buckets', 'InvalidAccessKeyId')):
            with self.subTest(service=service):
                self.assertEqual(error_of(getattr(FAKE.client(service, key='AKIDUNKNOWN'), call))[0], code)

    def test_tampered_body(self):
        def tamper(data, headers):
            return data.replace(b'Version=', b'Foo=1&Version='), headers
        status, body = FAKE.raw('sts', b'Action=GetCallerIdentity&Version=2011-06-15', tamper=tamper,
                                headers={'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'})
        self.assertEqual(status, 403)
        self.assertIn(b'<Code>SignatureDoesNotMatch</Code>', body)
        self.assertIn(b'The Canonical String for this request should have been', body)

    def test_clock_skew(self):
        def skewed(data, headers):
            now = datetime.datetime.now(datetime.timezone.utc)
            other = now - datetime.timedelta(minutes=20)
            if other.date() != now.date():
                other = now + datetime.timedelta(minutes=20)
            headers['X-Amz-Date'] = other.strftime('%Y%m%dT%H%M%SZ')
            return data, headers
        status, body = FAKE.raw('sts', b'Action=GetCallerIdentity&Version=2011-06-15', tamper=skewed,
                                headers={'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertEqual(status, 403)
        self.assertRegex(body.decode(), r'Signature (expired|not yet current)')
        status, body = FAKE.raw('s3', method='GET', path='/', tamper=skewed)
        self.assertIn(b'<Code>RequestTimeTooSkewed</Code>', body)

    def test_session_credentials(self):
        FAKE.control('credentials', {'access_key_id': 'ASIATEMPEXPIRED0001', 'secret_access_key': 's1',
                                     'session_token': 'tok1', 'expires_in_seconds': -5})
        FAKE.control('credentials', {'access_key_id': 'ASIATEMPVALID000001', 'secret_access_key': 's2',
                                     'session_token': 'tok2', 'expires_in_seconds': 3600})
        self.assertEqual(error_of(FAKE.client('sts', 'ASIATEMPEXPIRED0001', 's1', 'tok1').get_caller_identity)[0],
                         'ExpiredToken')
        self.assertEqual(error_of(FAKE.client('ssm', 'ASIATEMPEXPIRED0001', 's1', 'tok1').describe_parameters)[0],
                         'ExpiredTokenException')
        self.assertEqual(error_of(FAKE.client('sts', 'ASIATEMPVALID000001', 's2').get_caller_identity)[0],
                         'InvalidClientTokenId')
        FAKE.client('sts', 'ASIATEMPVALID000001', 's2', 'tok2').get_caller_identity()

    def test_assume_role(self):
        sts = FAKE.client('sts')
        out = sts.assume_role(RoleArn='arn:aws:iam::111111111111:role/deployer', RoleSessionName='ci')
        creds = out['Credentials']
        self.assertTrue(creds['AccessKeyId'].startswith('ASIA'))
        self.assertGreater(creds['Expiration'], datetime.datetime.now(datetime.timezone.utc))
        assumed = FAKE.client('sts', creds['AccessKeyId'], creds['SecretAccessKey'], creds['SessionToken'])
        self.assertEqual(assumed.get_caller_identity()['Arn'],
                         'arn:aws:sts::111111111111:assumed-role/deployer/ci')
        self.assertEqual(error_of(sts.assume_role, RoleArn='arn:aws:iam::111111111111:role/deployer',
                                  RoleSessionName='bad name')[0], 'ValidationError')
        self.assertEqual(error_of(sts.assume_role, RoleArn='not-an-arn-at-all-really',
                                  RoleSessionName='ci')[0], 'ValidationError')
        FAKE.control('state', {'settings': {'deny_assume_role': True}})
        try:
            self.assertEqual(error_of(sts.assume_role, RoleArn='arn:aws:iam::111111111111:role/deployer',
                                      RoleSessionName='ci')[:3:2], ('AccessDenied', 403))
        finally:
            FAKE.control('state', {'settings': {'deny_assume_role': False}})


class ProtocolTests(unittest.TestCase):
    def test_missing_required_parameter(self):
        loose = Config(retries={'total_max_attempts': 1}, parameter_validation=False)
        code, message, _ = error_of(FAKE.client('cloudformation', config=loose).describe_change_set)
        self.assertEqual(code, 'ValidationError')
        self.assertIn("'changeSetName' failed to satisfy constraint: Member must not be null", message)
        code, message, _ = error_of(FAKE.client('ssm', config=loose).get_parameter)
        self.assertEqual(code, 'ValidationException')
        self.assertIn("'name'", message)
        code, message, _ = error_of(FAKE.client('ec2', config=loose).describe_vpc_attribute, VpcId='vpc-1')
        self.assertEqual((code, message), ('MissingParameter', 'The request must contain the parameter Attribute'))

    def test_unknown_parameter_action_and_version(self):
        form = {'Content-Type': 'application/x-www-form-urlencoded'}
        status, body = FAKE.raw('cloudformation', b'Action=DescribeStacks&Version=2010-05-15&Bogus=1', headers=form)
        self.assertEqual(status, 400)
        self.assertIn(b'Bogus', body)
        self.assertIn(b'<Code>ValidationError</Code>', body)
        status, body = FAKE.raw('cloudformation', b'Action=DescribeStacks&Version=2009-01-01', headers=form)
        self.assertIn(b'<Code>InvalidAction</Code>', body)
        status, body = FAKE.raw('cloudformation', b'Action=DescribeNothing&Version=2010-05-15', headers=form)
        self.assertIn(b'Could not find operation DescribeNothing', body)
        status, body = FAKE.raw('ec2', b'Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=bogus-name'
                                b'&Filter.1.Value.1=x', headers=form)
        self.assertIn(b"The filter 'bogus-name' is invalid", body)
        status, body = FAKE.raw('ssm', b'{"Name": "/x", "Bogus": 1}', headers={
            'X-Amz-Target': 'AmazonSSM.GetParameter', 'Content-Type': 'application/x-amz-json-1.1'})
        self.assertEqual(json.loads(body)['__type'], 'ValidationException')

    def test_template_body_limit(self):
        body = json.dumps({'Resources': {'G': {'Type': 'AWS::EC2::SecurityGroup',
                                               'Properties': {'GroupDescription': 'x' * 52000}}}})
        code, message, _ = error_of(FAKE.client('cloudformation').create_change_set, StackName='big',
                                    ChangeSetName='c', TemplateBody=body, ChangeSetType='CREATE')
        self.assertEqual(code, 'ValidationError')
        self.assertIn('Member must have length less than or equal to 51200', message)


class FaultTests(unittest.TestCase):
    def test_throttle_exactly_n_times(self):
        FAKE.control('faults', {'service': 'cloudformation', 'operation': 'ListExports', 'kind': 'throttle', 'count': 2})
        cfn = FAKE.client('cloudformation')
        for _ in range(2):
            self.assertEqual(error_of(cfn.list_exports), ('Throttling', 'Rate exceeded', 400))
        cfn.list_exports()
        FAKE.control('faults', {'service': 'ec2', 'kind': 'throttle'})
        self.assertEqual(error_of(FAKE.client('ec2').describe_vpcs)[::2], ('RequestLimitExceeded', 503))
        FAKE.control('faults', {'service': 'ssm', 'kind': 'throttle'})
        self.assertEqual(error_of(FAKE.client('ssm').describe_parameters)[0], 'ThrottlingException')
        FAKE.control('faults', {'service': 's3', 'kind': 'throttle'})
        self.assertEqual(error_of(FAKE.client('s3').list_buckets)[::2], ('SlowDown', 503))

    def test_server_errors_and_auth_faults(self):
        sts = FAKE.client('sts')
        for kind, code, status in (('500', 'InternalFailure', 500), ('503', 'ServiceUnavailable', 503),
                                   ('access-denied', 'AccessDenied', 403), ('expired-token', 'ExpiredToken', 403)):
            with self.subTest(kind=kind):
                FAKE.control('faults', {'service': 'sts', 'operation': 'GetCallerIdentity', 'kind': kind})
                self.assertEqual(error_of(sts.get_caller_identity)[::2], (code, status))
        sts.get_caller_identity()

    def test_drop_and_reset(self):
        sts = FAKE.client('sts')
        for kind in ('drop', 'reset'):
            with self.subTest(kind=kind):
                FAKE.control('faults', {'service': 'sts', 'operation': 'GetCallerIdentity', 'kind': kind, 'count': 1})
                with self.assertRaises((ConnectionClosedError, EndpointConnectionError)):
                    sts.get_caller_identity()
                sts.get_caller_identity()
        faulted = [r for r in FAKE.control('requests?service=sts') if r['fault'] in ('drop', 'reset')]
        self.assertEqual(sorted(r['fault'] for r in faulted[-2:]), ['drop', 'reset'])


class Ec2SsmTests(unittest.TestCase):
    def test_default_vpc_fixture(self):
        ec2 = FAKE.client('ec2')
        vpcs = ec2.describe_vpcs(Filters=[{'Name': 'isDefault', 'Values': ['true']}])['Vpcs']
        self.assertEqual([(v['VpcId'], v['CidrBlock'], v['IsDefault']) for v in vpcs],
                         [('vpc-0a1b2c3d4e5f60001', '172.31.0.0/16', True)])
        subnets = ec2.describe_subnets(Filters=[{'Name': 'vpc-id', 'Values': ['vpc-0a1b2c3d4e5f60001']},
                                                {'Name': 'default-for-az', 'Values': ['true']}])['Subnets']
        self.assertEqual([s['AvailabilityZone'] for s in subnets], [f'us-east-1{c}' for c in 'abcdef'])
        self.assertTrue(all(s['MapPublicIpOnLaunch'] and s['CidrBlock'].endswith('/20') for s in subnets))
        one = ec2.describe_subnets(SubnetIds=[subnets[2]['SubnetId']])['Subnets']
        self.assertEqual(one[0]['CidrBlock'], '172.31.32.0/20')
        self.assertEqual(error_of(ec2.describe_subnets, SubnetIds=['subnet-0000000000000dead'])[0],
                         'InvalidSubnetID.NotFound')
        zones = FAKE.client('ec2', region='eu-west-1').describe_availability_zones()['AvailabilityZones']
        self.assertEqual([z['ZoneName'] for z in zones], ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'])
        self.assertEqual(zones[0]['ZoneId'], 'euw1-az1')

    def test_no_default_vpc_fixture(self):
        FAKE.control('state', {'fixture': 'no-default-vpc'})
        try:
            self.assertEqual(FAKE.client('ec2').describe_vpcs()['Vpcs'], [])
            self.assertEqual(FAKE.client('ec2').describe_subnets()['Subnets'], [])
        finally:
            FAKE.control('state', {'fixture': 'default'})

    def test_ssm_parameters(self):
        ssm = FAKE.client('ssm')
        base = '/aws/service/ami-amazon-linux-latest/'
        self.assertEqual(ssm.get_parameter(Name=base + 'al2023-ami-kernel-default-x86_64')['Parameter']['Value'],
                         'ami-0123456789abcdef0')
        self.assertRegex(ssm.get_parameter(Name=base + 'al2023-ami-kernel-6.1-arm64')['Parameter']['Value'],
                         r'^ami-[0-9a-f]{17}$')
        self.assertEqual(error_of(ssm.get_parameter, Name=base + 'nope')[0], 'ParameterNotFound')


class S3Tests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        FAKE.control('state', {'buckets': {'seeded-bucket': {'objects': {'hello.txt': 'hello'}}}})

    def test_objects(self):
        s3 = FAKE.client('s3')
        body = b'stacks-runner binary' * 100
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        etag = s3.put_object(Bucket='seeded-bucket', Key='bin/x y+z', Body=body, ContentMD5=md5)['ETag']
        self.assertEqual(etag, '"' + hashlib.md5(body).hexdigest() + '"')
        head = s3.head_object(Bucket='seeded-bucket', Key='bin/x y+z')
        self.assertEqual(head['ContentLength'], len(body))
        self.assertEqual(s3.get_object(Bucket='seeded-bucket', Key='bin/x y+z')['Body'].read(), body)
        part = s3.get_object(Bucket='seeded-bucket', Key='bin/x y+z', Range='bytes=0-5')
        self.assertEqual(part['Body'].read(), body[:6])
        self.assertEqual(error_of(s3.put_object, Bucket='seeded-bucket', Key='k', Body=b'a', ContentMD5=md5)[0],
                         'BadDigest')
        self.assertEqual(error_of(s3.head_object, Bucket='seeded-bucket', Key='missing')[::2], ('404', 404))
        self.assertEqual(error_of(s3.get_object, Bucket='seeded-bucket', Key='missing')[0], 'NoSuchKey')
        self.assertEqual(error_of(s3.put_object, Bucket='no-such-bucket', Key='k', Body=b'a')[0], 'NoSuchBucket')
        keys = [o['Key'] for o in s3.list_objects_v2(Bucket='seeded-bucket')['Contents']]
        self.assertEqual(keys, ['bin/x y+z', 'hello.txt'])
        page = s3.list_objects_v2(Bucket='seeded-bucket', MaxKeys=1)
        self.assertTrue(page['IsTruncated'])
        rest = s3.list_objects_v2(Bucket='seeded-bucket', ContinuationToken=page['NextContinuationToken'])
        self.assertEqual([o['Key'] for o in rest['Contents']], ['hello.txt'])
        state = FAKE.control('state')['buckets']['seeded-bucket']['objects']
        self.assertEqual(state['bin/x y+z']['sha256'], hashlib.sha256(body).hexdigest())

    def test_payload_hash_mismatch(self):
        def tamper(data, headers):
            return b'other body!', headers
        status, body = FAKE.raw('s3', b'the body', method='PUT', path='/seeded-bucket/tampered',
                                headers={'x-amz-content-sha256': hashlib.sha256(b'the body').hexdigest()},
                                tamper=tamper)
        self.assertEqual(status, 400)
        self.assertIn(b'XAmzContentSHA256Mismatch', body)
        status, body = FAKE.raw('s3', b'unsigned', method='PUT', path='/seeded-bucket/unsigned',
                                headers={'x-amz-content-sha256': 'UNSIGNED-PAYLOAD'})
        self.assertEqual(status, 200)

    def test_virtual_hosted_style(self):
        status, body = FAKE.raw('s3', method='GET', path='/hello.txt',
                                headers={'Host': f'seeded-bucket.localhost:{FAKE.port}',
                                         'x-amz-content-sha256': hashlib.sha256(b'').hexdigest()})
        self.assertEqual((status, body), (200, b'hello'))


class OtherServiceTests(unittest.TestCase):
    def test_cloudwatch_metrics(self):
        cw = FAKE.client('cloudwatch')
        cw.put_metric_data(Namespace='StacksRunner', MetricData=[
            {'MetricName': 'StacksTipHeight', 'Value': 123.0, 'Unit': 'Count',
             'Dimensions': [{'Name': 'InstanceId', 'Value': 'i-0123'}]}])
        stored = [m for m in FAKE.control('state')['metrics'] if m['MetricName'] == 'StacksTipHeight']
        self.assertEqual((stored[-1]['Value'], stored[-1]['Dimensions']), (123.0, {'InstanceId': 'i-0123'}))
        self.assertEqual(error_of(cw.put_metric_data, Namespace='AWS/EC2',
                                  MetricData=[{'MetricName': 'x', 'Value': 1.0}])[0], 'InvalidParameterValue')
        self.assertEqual(error_of(cw.put_metric_data, Namespace='N',
                                  MetricData=[{'MetricName': 'x', 'Value': float('nan')}])[0], 'InvalidParameterValue')
        self.assertEqual(error_of(cw.put_metric_data, Namespace='N',
                                  MetricData=[{'MetricName': 'x', 'Value': 1.0, 'Unit': 'Parsecs'}])[0],
                         'ValidationError')

    def test_secrets(self):
        sm = FAKE.client('secretsmanager')
        arn = sm.create_secret(Name='stacks/signer-key', SecretString='v1')['ARN']
        self.assertEqual(sm.get_secret_value(SecretId='stacks/signer-key')['SecretString'], 'v1')
        sm.put_secret_value(SecretId=arn, SecretString='v2')
        self.assertEqual(sm.get_secret_value(SecretId=arn)['SecretString'], 'v2')
        self.assertEqual(sm.get_secret_value(SecretId=arn, VersionStage='AWSPREVIOUS')['SecretString'], 'v1')
        self.assertEqual(len(sm.describe_secret(SecretId=arn)['VersionIdsToStages']), 2)
        self.assertEqual(error_of(sm.create_secret, Name='stacks/signer-key', SecretString='x')[0],
                         'ResourceExistsException')
        self.assertEqual(error_of(sm.get_secret_value, SecretId='nope')[0], 'ResourceNotFoundException')
        # A repeated token is harmless with the same value and refused with another.
        token = 'a1b2c3d4-0000-4000-8000-000000000001'
        sm.put_secret_value(SecretId=arn, SecretString='v3', ClientRequestToken=token)
        sm.put_secret_value(SecretId=arn, SecretString='v3', ClientRequestToken=token)
        self.assertEqual(error_of(sm.put_secret_value, SecretId=arn, SecretString='v4',
                                  ClientRequestToken=token)[0], 'ResourceExistsException')
        self.assertEqual(sm.get_secret_value(SecretId=arn)['SecretString'], 'v3')

    def test_logs(self):
        logs = FAKE.client('logs')
        logs.create_log_group(logGroupName='/stacks-runner/node')
        logs.put_retention_policy(logGroupName='/stacks-runner/node', retentionInDays=30)
        logs.create_log_stream(logGroupName='/stacks-runner/node', logStreamName='i-1')
        logs.put_log_events(logGroupName='/stacks-runner/node', logStreamName='i-1',
                            logEvents=[{'timestamp': 1000, 'message': 'a'}, {'timestamp': 2000, 'message': 'b'}])
        self.assertEqual([e['message'] for e in logs.get_log_events(
            logGroupName='/stacks-runner/node', logStreamName='i-1')['events']], ['a', 'b'])
        self.assertEqual(error_of(logs.create_log_group, logGroupName='/stacks-runner/node')[0],
                         'ResourceAlreadyExistsException')

    def test_auto_scaling_lifecycle(self):
        FAKE.control('state', {'autoscaling_groups': [{
            'name': 'seeded-asg', 'MinSize': 1, 'MaxSize': 2, 'DesiredCapacity': 2,
            'LifecycleHookSpecificationList': [{'LifecycleHookName': 'launch',
                                                'LifecycleTransition': 'autoscaling:EC2_INSTANCE_LAUNCHING'}]}]})
        asg = FAKE.client('autoscaling')
        group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=['seeded-asg'])['AutoScalingGroups'][0]
        first, second = (i['InstanceId'] for i in group['Instances'])
        self.assertEqual({i['LifecycleState'] for i in group['Instances']}, {'Pending:Wait'})
        asg.record_lifecycle_action_heartbeat(AutoScalingGroupName='seeded-asg', LifecycleHookName='launch',
                                              InstanceId=first)
        asg.complete_lifecycle_action(AutoScalingGroupName='seeded-asg', LifecycleHookName='launch',
                                      InstanceId=first, LifecycleActionResult='CONTINUE')
        group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=['seeded-asg'])['AutoScalingGroups'][0]
        states = {i['InstanceId']: i['LifecycleState'] for i in group['Instances']}
        self.assertEqual(states, {first: 'InService', second: 'Pending:Wait'})
        code, message, _ = error_of(asg.complete_lifecycle_action, AutoScalingGroupName='seeded-asg',
                                    LifecycleHookName='launch', InstanceId=first, LifecycleActionResult='CONTINUE')
        self.assertEqual((code, message), ('ValidationError', f'No active Lifecycle Action found with instance ID {first}'))


class ImdsTests(unittest.TestCase):
    def imds(self, path, method='GET', headers=None):
        req = urllib.request.Request(f'http://127.0.0.1:{FAKE.imds_port}{path}', method=method, headers=headers or {},
                                     data=b'' if method == 'PUT' else None)
        try:
            with urllib.request.urlopen(req, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode()

    def test_token_rules(self):
        self.assertEqual(self.imds('/latest/meta-data/instance-id')[0], 401)
        self.assertEqual(self.imds('/latest/api/token', 'PUT', {'X-aws-ec2-metadata-token-ttl-seconds': '0'})[0], 400)
        self.assertEqual(self.imds('/latest/api/token', 'PUT', {'X-aws-ec2-metadata-token-ttl-seconds': '21601'})[0], 400)
        status, token = self.imds('/latest/api/token', 'PUT', {'X-aws-ec2-metadata-token-ttl-seconds': '60'})
        self.assertEqual(status, 200)
        got = {p: self.imds('/latest/meta-data/' + p, headers={'X-aws-ec2-metadata-token': token})[1]
               for p in ('instance-id', 'placement/region', 'placement/availability-zone',
                         'autoscaling/target-lifecycle-state', 'iam/security-credentials/')}
        self.assertEqual(got, {'instance-id': 'i-0123456789abcdef0', 'placement/region': 'us-east-1',
                               'placement/availability-zone': 'us-east-1a',
                               'autoscaling/target-lifecycle-state': 'InService',
                               'iam/security-credentials/': 'stacks-nodes-common-NodeRole-FAKE0000000'})
        FAKE.control('faults', {'path': '/latest/meta-data/instance-id', 'kind': '500'}, port=FAKE.imds_port)
        self.assertEqual(self.imds('/latest/meta-data/instance-id', headers={'X-aws-ec2-metadata-token': token})[0], 500)

    def test_role_credentials_work_and_expire(self):
        from botocore.utils import InstanceMetadataFetcher
        fetcher = InstanceMetadataFetcher(timeout=2, num_attempts=1, base_url=f'http://127.0.0.1:{FAKE.imds_port}/')
        creds = fetcher.retrieve_iam_role_credentials()
        self.assertTrue(creds['access_key'].startswith('ASIA'))
        sts = FAKE.client('sts', creds['access_key'], creds['secret_key'], creds['token'])
        self.assertEqual(sts.get_caller_identity()['Arn'],
                         'arn:aws:sts::111111111111:assumed-role/stacks-nodes-common-NodeRole-FAKE0000000/'
                         'i-0123456789abcdef0')
        FAKE.control('clock', {'advance_seconds': 601})
        try:
            self.assertEqual(error_of(sts.get_caller_identity)[0], 'ExpiredToken')
            fresh = fetcher.retrieve_iam_role_credentials()
            self.assertNotEqual(fresh['access_key'], creds['access_key'])
            FAKE.client('sts', fresh['access_key'], fresh['secret_key'], fresh['token']).get_caller_identity()
        finally:
            FAKE.control('clock', {'advance_seconds': -601})

    def test_standalone_imds_registers_with_the_aws_fake(self):
        imds = subprocess.Popen([sys.executable, os.path.join(HERE, 'server.py'), '--imds', '--port', '0',
                                 '--aws-url', FAKE.url, '--instance-id', 'i-0aaaaaaaaaaaaaaaa', '--role-name', 'r1'],
                                stdout=subprocess.PIPE, text=True)
        try:
            port = int(imds.stdout.readline().split()[1])
            from botocore.utils import InstanceMetadataFetcher
            creds = InstanceMetadataFetcher(timeout=2, num_attempts=1,
                                            base_url=f'http://127.0.0.1:{port}/').retrieve_iam_role_credentials()
            arn = FAKE.client('sts', creds['access_key'], creds['secret_key'], creds['token']).get_caller_identity()['Arn']
            self.assertEqual(arn, 'arn:aws:sts::111111111111:assumed-role/r1/i-0aaaaaaaaaaaaaaaa')
        finally:
            imds.terminate()
            self.assertEqual(imds.wait(10), 0)
            imds.stdout.close()


# ------------------------------------------------------------------------------------------------
class CloudFormationTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = CloudFormationDriver(FAKE)
        cls.cfn = cls.d.cfn

    def test_create_complete_with_events_in_order(self):
        FAKE.control('state', {'settings': {'events_page_size': 4}})
        self.addCleanup(FAKE.control, 'state', {'settings': {'events_page_size': 10}})
        stack = self.d.deploy('simple-create', SIMPLE)
        self.assertIn('NextToken', self.cfn.describe_stack_events(StackName='simple-create'))
        self.assertEqual(stack['StackStatus'], 'CREATE_COMPLETE')
        events = [(e['LogicalResourceId'], e['ResourceStatus'], e.get('ResourceStatusReason'))
                  for e in self.d.events('simple-create')]
        self.assertEqual(events[0], ('simple-create', 'REVIEW_IN_PROGRESS', 'User Initiated'))
        self.assertEqual(events[1], ('simple-create', 'CREATE_IN_PROGRESS', 'User Initiated'))
        self.assertEqual(events[-1], ('simple-create', 'CREATE_COMPLETE', None))
        self.assertLess(events.index(('Group', 'CREATE_COMPLETE', None)),
                        events.index(('Volume', 'CREATE_IN_PROGRESS', None)))
        self.assertIn(('Volume', 'CREATE_IN_PROGRESS', 'Resource creation Initiated'), events)
        self.assertEqual(len(events), 9)
        outputs = {o['OutputKey']: o['OutputValue'] for o in stack['Outputs']}
        resources = {r['LogicalResourceId']: r['PhysicalResourceId']
                     for r in self.cfn.describe_stack_resources(StackName='simple-create')['StackResources']}
        self.assertRegex(resources['Group'], r'^sg-0[0-9a-f]{16}$')
        self.assertEqual(outputs, {'GroupId': resources['Group'], 'Volume': f"volume {resources['Volume']} in us-east-1"})
        self.assertEqual(self.cfn.get_template(StackName='simple-create')['TemplateBody'], json.loads(SIMPLE))

    def test_template_errors_and_capabilities(self):
        create = self.cfn.create_change_set
        cases = [
            ('{"Resources": ', 'Template format error: JSON not well-formed.'),
            ('{"Parameters": {}}', 'Template format error: At least one Resources member must be defined.'),
            (json.dumps({'Resources': {'A': {'Type': 'AWS::EC2::Volume', 'Properties': {'Size': {'Ref': 'Nope'}}}}}),
             'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template'),
            (json.dumps({'Resources': {'A': {'Type': 'AWS::EC2::Volume'}},
                         'Outputs': {'O': {'Value': {'Fn::GetAtt': ['B', 'Arn']}}}}),
             'Template error: instance of Fn::GetAtt references undefined resource B'),
            (json.dumps({'Parameters': {'P': {'Type': 'Strin'}}, 'Resources': {'A': {'Type': 'AWS::EC2::Volume'}}}),
             'Template format error: Unrecognized parameter type: Strin'),
            (json.dumps({'Parameters': {'P': {'Type': 'String'}, 'Q': {'Type': 'String'}},
                         'Resources': {'A': {'Type': 'AWS::EC2::Volume'}}}), 'Parameters: [P, Q] must have values'),
        ]
        for body, message in cases:
            with self.subTest(message=message):
                code, got, _ = error_of(create, StackName='bad-template', ChangeSetName='c', TemplateBody=body,
                                        ChangeSetType='CREATE')
                self.assertEqual(code, 'ValidationError')
                self.assertTrue(got.startswith(message), got)
        iam = json.dumps({'Resources': {'R': {'Type': 'AWS::IAM::Role', 'Properties': {'AssumeRolePolicyDocument': {}}}}})
        self.assertEqual(error_of(create, StackName='iam', ChangeSetName='c', TemplateBody=iam, ChangeSetType='CREATE'),
                         ('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]', 400))

    def test_no_changes_and_missing_export(self):
        self.d.deploy('no-changes', SIMPLE)
        described = self.d.change_set('no-changes', 'again', SIMPLE, expect='FAILED')
        self.assertEqual(described['StatusReason'], "The submitted information didn't contain changes. Submit "
                                                    'different information to create a change set.')
        self.assertEqual(described['ExecutionStatus'], 'UNAVAILABLE')
        importing = json.dumps({'Resources': {'V': {'Type': 'AWS::EC2::Volume', 'Properties': {
            'AvailabilityZone': {'Fn::ImportValue': 'NoSuchExport'}}}}})
        described = self.d.change_set('importer-missing', 'c', importing, 'CREATE', expect='FAILED')
        self.assertEqual(described['StatusReason'], 'No export named NoSuchExport found.')

    def test_update_replacement_and_parameters(self):
        self.d.deploy('update-me', SIMPLE)
        before = self.cfn.describe_stack_resources(StackName='update-me', LogicalResourceId='Group')['StackResources'][0]
        changed = json.loads(SIMPLE)
        changed['Resources']['Group']['Properties']['GroupDescription'] = 'new description'
        described = self.d.change_set('update-me', 'u1', json.dumps(changed), params={'Size': '20'})
        changes = {c['ResourceChange']['LogicalResourceId']: c['ResourceChange'] for c in described['Changes']}
        self.assertEqual(changes['Group']['Replacement'], 'True')
        self.assertEqual(changes['Group']['Details'][0]['Target'],
                         {'Attribute': 'Properties', 'Name': 'GroupDescription', 'RequiresRecreation': 'Always'})
        self.assertEqual(changes['Volume']['Action'], 'Modify')
        self.assertEqual(changes['Volume']['Replacement'], 'False')
        self.cfn.execute_change_set(StackName='update-me', ChangeSetName='u1')
        stack = self.d.wait('update-me')
        self.assertEqual(stack['StackStatus'], 'UPDATE_COMPLETE')
        after = self.cfn.describe_stack_resources(StackName='update-me', LogicalResourceId='Group')['StackResources'][0]
        self.assertNotEqual(after['PhysicalResourceId'], before['PhysicalResourceId'])
        statuses = [(e['LogicalResourceId'], e['ResourceStatus'], e['PhysicalResourceId']) for e in self.d.events('update-me')]
        self.assertIn(('update-me', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', stack['StackId']), statuses)
        self.assertIn(('Group', 'DELETE_COMPLETE', before['PhysicalResourceId']), statuses)
        self.assertEqual({p['ParameterKey']: p['ParameterValue'] for p in stack['Parameters']}, {'Size': '20'})
        # UsePreviousValue keeps the 20.
        self.cfn.create_change_set(StackName='update-me', ChangeSetName='u2', UsePreviousTemplate=True,
                                   Parameters=[{'ParameterKey': 'Size', 'UsePreviousValue': True}])
        FAKE.tick(3)
        self.assertEqual(self.cfn.describe_change_set(StackName='update-me', ChangeSetName='u2')['StatusReason'],
                         "The submitted information didn't contain changes. Submit different information to create "
                         'a change set.')

    def test_injected_failure_rolls_back(self):
        FAKE.control('resource-failures', {'stack': 'fails', 'logical_id': 'Volume',
                                           'reason': 'Volume limit exceeded'})
        stack = self.d.deploy('fails', SIMPLE)
        self.assertEqual(stack['StackStatus'], 'ROLLBACK_COMPLETE')
        self.assertEqual(stack['StackStatusReason'],
                         'The following resource(s) failed to create: [Volume]. Rollback requested by user.')
        events = [(e['LogicalResourceId'], e['ResourceStatus'], e.get('ResourceStatusReason')) for e in self.d.events('fails')]
        self.assertIn(('Volume', 'CREATE_FAILED', 'Volume limit exceeded'), events)
        self.assertLess(events.index(('fails', 'ROLLBACK_IN_PROGRESS', stack['StackStatusReason'])),
                        events.index(('Group', 'DELETE_COMPLETE', None)))
        self.assertEqual(events[-1], ('fails', 'ROLLBACK_COMPLETE', None))
        code, message, _ = error_of(self.cfn.create_change_set, StackName='fails', ChangeSetName='u',
                                    TemplateBody=SIMPLE, ChangeSetType='UPDATE')
        self.assertEqual(code, 'ValidationError')
        self.assertEqual(message, f"Stack:{stack['StackId']} is in ROLLBACK_COMPLETE state and can not be updated.")

    def test_failed_update_rolls_back(self):
        self.d.deploy('update-fails', SIMPLE)
        before = {r['LogicalResourceId']: r['PhysicalResourceId']
                  for r in self.cfn.describe_stack_resources(StackName='update-fails')['StackResources']}
        FAKE.control('resource-failures', {'stack': 'update-fails', 'logical_id': 'Volume', 'operation': 'update',
                                           'reason': 'Throughput out of range'})
        self.d.change_set('update-fails', 'u1', SIMPLE, params={'Size': '30'})
        self.cfn.execute_change_set(StackName='update-fails', ChangeSetName='u1')
        stack = self.d.wait('update-fails')
        self.assertEqual(stack['StackStatus'], 'UPDATE_ROLLBACK_COMPLETE')
        self.assertEqual({p['ParameterKey']: p['ParameterValue'] for p in stack['Parameters']}, {'Size': '10'})
        after = {r['LogicalResourceId']: r['PhysicalResourceId']
                 for r in self.cfn.describe_stack_resources(StackName='update-fails')['StackResources']}
        self.assertEqual(before, after)
        # An UPDATE_ROLLBACK_COMPLETE stack can be updated again.
        self.d.change_set('update-fails', 'u2', SIMPLE, params={'Size': '30'})

    def test_signals(self):
        FAKE.control('state', {'settings': {'auto_signal_ticks': 0}})
        body = json.dumps({'Resources': {'Node': {
            'Type': 'AWS::EC2::Instance', 'CreationPolicy': {'ResourceSignal': {'Count': 1, 'Timeout': 'PT10M'}},
            'Properties': {'ImageId': 'ami-0123456789abcdef0', 'SubnetId': 'subnet-0a1b2c3d4e5f60001'}}}})
        try:
            self.d.change_set('signalled', 'c', body, 'CREATE')
            self.cfn.execute_change_set(StackName='signalled', ChangeSetName='c')
            FAKE.tick(8)
            node = self.cfn.describe_stack_resources(StackName='signalled')['StackResources'][0]
            self.assertEqual(node['ResourceStatus'], 'CREATE_IN_PROGRESS')
            self.cfn.signal_resource(StackName='signalled', LogicalResourceId='Node',
                                     UniqueId=node['PhysicalResourceId'], Status='SUCCESS')
            self.assertEqual(self.d.wait('signalled')['StackStatus'], 'CREATE_COMPLETE')
            self.assertEqual(error_of(self.cfn.signal_resource, StackName='signalled', LogicalResourceId='Node',
                                      UniqueId='x', Status='SUCCESS')[0], 'ValidationError')
            self.d.change_set('signal-fails', 'c', body, 'CREATE')
            self.cfn.execute_change_set(StackName='signal-fails', ChangeSetName='c')
            FAKE.tick(3)
            self.cfn.signal_resource(StackName='signal-fails', LogicalResourceId='Node', UniqueId='i-boot',
                                     Status='FAILURE')
            stack = self.d.wait('signal-fails')
            self.assertEqual(stack['StackStatus'], 'ROLLBACK_COMPLETE')
            reasons = [e.get('ResourceStatusReason') for e in self.d.events('signal-fails')]
            self.assertIn('Received FAILURE signal with UniqueId i-boot', reasons)
        finally:
            FAKE.control('state', {'settings': {'auto_signal_ticks': 5}})

    def test_secret_resources(self):
        sm = FAKE.client('secretsmanager')
        body = {'Resources': {
            'Empty': {'Type': 'AWS::SecretsManager::Secret', 'DeletionPolicy': 'Retain',
                      'UpdateReplacePolicy': 'Retain',
                      'Properties': {'Name': {'Fn::Sub': '${AWS::StackName}/signer-key'}, 'Description': 'd',
                                     'Tags': [{'Key': 'Project', 'Value': 'AWSStacks'}]}},
            'Given': {'Type': 'AWS::SecretsManager::Secret', 'Properties': {'SecretString': '{"a": "b"}'}},
            'Generated': {'Type': 'AWS::SecretsManager::Secret', 'Properties': {'GenerateSecretString': {
                'SecretStringTemplate': '{"username": "u"}', 'GenerateStringKey': 'password',
                'PasswordLength': 20, 'ExcludePunctuation': True}}}},
            'Outputs': {'EmptyArn': {'Value': {'Ref': 'Empty'}}, 'EmptyId': {'Value': {'Fn::GetAtt': ['Empty', 'Id']}}}}
        stack = self.d.deploy('secret-stack', json.dumps(body))
        self.assertEqual(stack['StackStatus'], 'CREATE_COMPLETE')
        outputs = {o['OutputKey']: o['OutputValue'] for o in stack['Outputs']}
        arn = outputs['EmptyArn']
        self.assertRegex(arn, r'^arn:aws:secretsmanager:us-east-1:111111111111:secret:secret-stack/signer-key-\w{6}$')
        self.assertEqual(outputs['EmptyId'], arn)
        # Neither SecretString nor GenerateSecretString: a secret without a value.
        self.assertEqual(error_of(sm.get_secret_value, SecretId=arn)[0], 'ResourceNotFoundException')
        described = sm.describe_secret(SecretId=arn)
        self.assertEqual((described['Description'], described.get('VersionIdsToStages', {})), ('d', {}))
        self.assertEqual(described['Tags'], [{'Key': 'Project', 'Value': 'AWSStacks'}])
        resources = {r['LogicalResourceId']: r['PhysicalResourceId']
                     for r in self.cfn.describe_stack_resources(StackName='secret-stack')['StackResources']}
        self.assertEqual(sm.get_secret_value(SecretId=resources['Given'])['SecretString'], '{"a": "b"}')
        generated = json.loads(sm.get_secret_value(SecretId=resources['Generated'])['SecretString'])
        self.assertEqual(generated['username'], 'u')
        self.assertRegex(generated['password'], r'^[A-Za-z0-9]{20}$')
        # The first boot's key goes in; deleting the stack keeps the retained secret only.
        sm.put_secret_value(SecretId=arn, SecretString='{"private_key": "k"}')
        self.cfn.delete_stack(StackName='secret-stack')
        self.assertEqual(self.d.wait(stack['StackId'])['StackStatus'], 'DELETE_COMPLETE')
        self.assertEqual(sm.get_secret_value(SecretId=arn)['SecretString'], '{"private_key": "k"}')
        self.assertEqual(error_of(sm.describe_secret, SecretId=resources['Given'])[0], 'ResourceNotFoundException')
        events = [(e['LogicalResourceId'], e['ResourceStatus']) for e in self.d.events(stack['StackId'])]
        self.assertIn(('Empty', 'DELETE_SKIPPED'), events)
        # A new stack of the same name cannot take the retained secret's name.
        again = self.d.deploy('secret-stack', json.dumps({'Resources': {'Empty': body['Resources']['Empty']}}),
                              name='deploy2')
        self.assertEqual(again['StackStatus'], 'ROLLBACK_COMPLETE')
        reasons = [e.get('ResourceStatusReason') or '' for e in self.d.events(again['StackId'])]
        self.assertTrue(any('The operation failed because the secret secret-stack/signer-key already exists.' in r
                            and 'HandlerErrorCode: AlreadyExists' in r for r in reasons), reasons)

    def test_secret_properties_are_checked(self):
        cases = [({'SecretString': 'a', 'GenerateSecretString': {}}, "can't specify both"),
                 ({'SecretStrin': 'a'}, 'extraneous key [SecretStrin] is not permitted'),
                 ({'GenerateSecretString': {'GenerateStringKey': 'p'}}, 'must be specified together')]
        for i, (props, message) in enumerate(cases):
            with self.subTest(message=message):
                name = f'bad-secret-{i}'
                body = json.dumps({'Resources': {'S': {'Type': 'AWS::SecretsManager::Secret', 'Properties': props}}})
                self.assertEqual(self.d.deploy(name, body)['StackStatus'], 'ROLLBACK_COMPLETE')
                reasons = [e.get('ResourceStatusReason') or '' for e in self.d.events(name)]
                self.assertTrue(any(message in r for r in reasons), reasons)

    def test_iam_role_profile_and_policy_properties_are_checked(self):
        trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'sts:AssumeRole',
                                                         'Principal': {'Service': 'ec2.amazonaws.com'}}]}
        doc = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': '*'}]}
        role = {'Type': 'AWS::IAM::Role', 'Properties': {'AssumeRolePolicyDocument': trust}}
        good = {'Resources': {
            'Role': role,
            'Profile': {'Type': 'AWS::IAM::InstanceProfile', 'Properties': {'Roles': [{'Ref': 'Role'}]}},
            'Policy': {'Type': 'AWS::IAM::Policy', 'Properties': {'PolicyName': 'p', 'PolicyDocument': doc,
                                                                  'Roles': [{'Ref': 'Role'}]}}},
            'Outputs': {'Profile': {'Value': {'Fn::GetAtt': ['Profile', 'Arn']}}}}
        stack = self.d.deploy('iam-good', json.dumps(good))
        self.assertEqual(stack['StackStatus'], 'CREATE_COMPLETE')
        self.assertRegex(stack['Outputs'][0]['OutputValue'],
                         r'^arn:aws:iam::111111111111:instance-profile/iam-good-Profile-')
        cases = [({'Role': {'Type': 'AWS::IAM::Role', 'Properties': {'Description': 'x'}}},
                  'required key [AssumeRolePolicyDocument] not found'),
                 ({'Role': {'Type': 'AWS::IAM::Role', 'Properties': {'AssumeRolePolicyDocument': trust, 'Roles': []}}},
                  'extraneous key [Roles] is not permitted'),
                 ({'Role': role, 'Other': role,
                   'Profile': {'Type': 'AWS::IAM::InstanceProfile',
                               'Properties': {'Roles': [{'Ref': 'Role'}, {'Ref': 'Other'}]}}},
                  'expected exactly one role name'),
                 ({'Role': role, 'Policy': {'Type': 'AWS::IAM::Policy',
                                            'Properties': {'PolicyName': 'p', 'PolicyDocument': doc}}},
                  'At least one of [Roles,Users,Groups] must be specified'),
                 ({'Role': role, 'Policy': {'Type': 'AWS::IAM::Policy',
                                            'Properties': {'PolicyName': 'p', 'PolicyDocument': {'Statement': [{}]},
                                                           'Roles': [{'Ref': 'Role'}]}}},
                  'needs Effect Allow or Deny and an Action')]
        for i, (resources, message) in enumerate(cases):
            with self.subTest(message=message):
                name = f'bad-iam-{i}'
                self.assertEqual(self.d.deploy(name, json.dumps({'Resources': resources}))['StackStatus'],
                                 'ROLLBACK_COMPLETE')
                reasons = [e.get('ResourceStatusReason') or '' for e in self.d.events(name)]
                self.assertTrue(any(message in r for r in reasons), reasons)

    @staticmethod
    def put_signal(url, signal, method='PUT'):
        data = signal if isinstance(signal, bytes) else json.dumps(signal).encode()
        request = urllib.request.Request(url, data=data if method == 'PUT' else None, method=method,
                                         headers={'Content-Type': ''})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()

    def wait_stack(self, name, count=2, timeout='600'):
        body = json.dumps({'Resources': {
            'Handle': {'Type': 'AWS::CloudFormation::WaitConditionHandle'},
            'Wait': {'Type': 'AWS::CloudFormation::WaitCondition',
                     'Properties': {'Handle': {'Ref': 'Handle'}, 'Count': count, 'Timeout': timeout}}},
            'Outputs': {'Identity': {'Value': {'Fn::GetAtt': ['Wait', 'Data']}}}})
        self.d.change_set(name, 'c', body, 'CREATE')
        self.cfn.execute_change_set(StackName=name, ChangeSetName='c')
        FAKE.tick(3)
        resources = {r['LogicalResourceId']: r for r in self.cfn.describe_stack_resources(StackName=name)['StackResources']}
        self.assertEqual(resources['Wait']['ResourceStatus'], 'CREATE_IN_PROGRESS')
        return resources['Handle']['PhysicalResourceId']

    def signal(self, unique_id, data, status='SUCCESS', reason='public identity'):
        return {'Status': status, 'Reason': reason, 'UniqueId': unique_id, 'Data': data}

    def test_wait_condition_takes_signals_on_its_handle(self):
        FAKE.control('state', {'settings': {'auto_signal_ticks': 0}})
        self.addCleanup(FAKE.control, 'state', {'settings': {'auto_signal_ticks': 5}})
        url = self.wait_stack('identity')
        self.assertRegex(url, r'^http://127\.0\.0\.1:\d+/cloudformation-waitcondition-us-east-1/arn%3Aaws%3A'
                              r'cloudformation%3Aus-east-1%3A111111111111%3Astack%2Fidentity%2F[-0-9a-f]+/Handle\?'
                              r'X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Signature=[0-9a-f]{64}$')
        self.assertEqual(self.put_signal(url, self.signal('signer-address', 'SP000'))[0], 200)
        # Another signature, another method: refused as S3 refuses them.
        status, answer = self.put_signal(url[:-4] + '0000', self.signal('x', 'y'))
        self.assertEqual(status, 403)
        self.assertIn(b'<Code>SignatureDoesNotMatch</Code>', answer)
        self.assertEqual(self.put_signal(url, None, method='GET')[0], 405)
        FAKE.tick(3)
        wait = self.cfn.describe_stack_resources(StackName='identity', LogicalResourceId='Wait')['StackResources'][0]
        self.assertEqual(wait['ResourceStatus'], 'CREATE_IN_PROGRESS')
        # The same UniqueId again replaces its value; a second one completes the count.
        self.put_signal(url, self.signal('signer-address', 'SP123'))
        self.put_signal(url, self.signal('signer-public-key', '02abc'))
        stack = self.d.wait('identity')
        self.assertEqual(stack['StackStatus'], 'CREATE_COMPLETE')
        outputs = {o['OutputKey']: o['OutputValue'] for o in stack['Outputs']}
        self.assertEqual(json.loads(outputs['Identity']), {'signer-address': 'SP123', 'signer-public-key': '02abc'})
        signals = [r for r in FAKE.control('requests?service=waitcondition')]
        self.assertEqual([r['status'] for r in signals[-5:]], [200, 403, 405, 200, 200])

    def test_wait_condition_fails_on_failure_bad_signal_and_timeout(self):
        FAKE.control('state', {'settings': {'auto_signal_ticks': 0}})
        self.addCleanup(FAKE.control, 'state', {'settings': {'auto_signal_ticks': 5}})
        cases = [
            ('identity-failure', self.signal('signer-address', '', 'FAILURE', 'no key'),
             "WaitCondition received failed message: 'no key' for uniqueId: signer-address"),
            ('identity-bad-status', self.signal('signer-address', 'SP1', 'OK'),
             "WaitCondition received an invalid signal: the signal's Status is 'OK', not SUCCESS or FAILURE"),
            ('identity-no-data', {'Status': 'SUCCESS', 'Reason': 'r', 'UniqueId': 'u'},
             'WaitCondition received an invalid signal: the signal has no Data'),
            ('identity-not-json', b'Status=SUCCESS', 'WaitCondition received an invalid signal: the signal is not JSON'),
            ('identity-timeout', self.signal('signer-address', 'SP1'),
             'WaitCondition timed out. Received 1 conditions when expecting 2'),
        ]
        for name, signal, reason in cases:
            with self.subTest(name=name):
                url = self.wait_stack(name)
                self.assertEqual(self.put_signal(url, signal)[0], 200)
                FAKE.tick(3)  # the wait condition is waiting: its timeout runs from here
                if name == 'identity-timeout':
                    FAKE.control('clock', {'advance_seconds': 601})
                    # Back afterwards: other tests' credentials expire on the fake's clock.
                    self.addCleanup(FAKE.control, 'clock', {'advance_seconds': -601})
                stack = self.d.wait(name)
                self.assertEqual(stack['StackStatus'], 'ROLLBACK_COMPLETE')
                reasons = [e.get('ResourceStatusReason') for e in self.d.events(name)]
                self.assertIn(reason, reasons)

    def test_wait_condition_handle_url_expires_and_auto_signals(self):
        FAKE.control('state', {'settings': {'auto_signal_ticks': 2}})
        self.addCleanup(FAKE.control, 'state', {'settings': {'auto_signal_ticks': 5}})
        url = self.wait_stack('identity-auto', count=3)
        stack = self.d.wait('identity-auto')
        self.assertEqual(stack['StackStatus'], 'CREATE_COMPLETE')
        self.assertEqual(json.loads(stack['Outputs'][0]['OutputValue']),
                         {'auto-1': 'auto-1', 'auto-2': 'auto-2', 'auto-3': 'auto-3'})
        FAKE.control('clock', {'advance_seconds': 86400})
        self.addCleanup(FAKE.control, 'clock', {'advance_seconds': -86400})
        status, answer = self.put_signal(url, self.signal('signer-address', 'SP1'))
        self.assertEqual(status, 403)
        self.assertIn(b'Request has expired', answer)

    def test_project_templates_exports_imports_and_delete(self):
        """The synthesized templates of tests/fakeaws/templates: common, then a single node that
        imports its exports; deleting common fails while imported."""
        common = template('stacks-common.template.json')
        stack = self.d.deploy('stacks-nodes-common', common)
        self.assertEqual(stack['StackStatus'], 'CREATE_COMPLETE')
        exports = {e['Name']: e['Value'] for e in self.cfn.list_exports()['Exports']}
        bucket = exports['StacksNodeAssetsBucketName']
        self.assertRegex(bucket, r'^stacks-nodes-common-assetsbucket-[a-z0-9]{12}$')
        self.assertRegex(exports['StacksNodeInstanceRoleArn'], r'^arn:aws:iam::111111111111:role/stacks-nodes-common-NodeRole-')
        code, message, _ = error_of(self.cfn.list_imports, ExportName='StacksNodeAssetsBucketName')
        self.assertEqual(message, 'Export StacksNodeAssetsBucketName is not imported by any stack.')
        s3 = FAKE.client('s3')
        single = template('stacks-single-node.template.json')
        s3.put_object(Bucket=bucket, Key='templates/single.json', Body=single.encode())
        params = {'VpcId': 'vpc-0a1b2c3d4e5f60001', 'VpcCidr': '172.31.0.0/16', 'SubnetId': 'subnet-0a1b2c3d4e5f60001',
                  'AvailabilityZone': 'us-east-1a', 'ImageId': 'ami-0123456789abcdef0',
                  'NodeBinaryKey': 'bin/' + 'a' * 64 + '/stacks-runner-linux-x86_64', 'NodeBinarySha256': 'b' * 64}
        self.d.change_set('stacks-single-node-follower', 'c1', None, 'CREATE', params,
                          TemplateURL=f'https://{bucket}.s3.amazonaws.com/templates/single.json')
        self.cfn.execute_change_set(StackName='stacks-single-node-follower', ChangeSetName='c1')
        node = self.d.wait('stacks-single-node-follower')
        self.assertEqual(node['StackStatus'], 'CREATE_COMPLETE')
        outputs = {o['OutputKey']: o['OutputValue'] for o in node['Outputs']}
        self.assertRegex(outputs['nodeinstanceid'], r'^i-0[0-9a-f]{16}$')
        self.assertEqual(outputs['rpcurl'], f"http://{outputs['nodeprivateip']}:20443")
        self.assertEqual(self.cfn.list_imports(ExportName='StacksNodeAssetsBucketName')['Imports'],
                         ['stacks-single-node-follower'])
        bad = dict(params, VpcId='vpc-0000000000000dead')
        code, message, _ = error_of(self.cfn.create_change_set, StackName='stacks-single-node-x', ChangeSetName='c',
                                    TemplateBody=single, ChangeSetType='CREATE', Capabilities=['CAPABILITY_IAM'],
                                    Parameters=[{'ParameterKey': k, 'ParameterValue': v} for k, v in bad.items()])
        self.assertIn('parameter value vpc-0000000000000dead for parameter name VpcId does not exist', message)

        self.cfn.delete_stack(StackName='stacks-nodes-common')
        stack = self.d.wait('stacks-nodes-common')
        self.assertEqual(stack['StackStatus'], 'DELETE_FAILED')
        self.assertEqual(stack['StackStatusReason'], 'Export StacksNodeAssetsBucketName cannot be deleted as it is in '
                                                     'use by stacks-single-node-follower')
        self.cfn.delete_stack(StackName='stacks-single-node-follower')
        self.assertEqual(self.d.wait(node['StackId'])['StackStatus'], 'DELETE_COMPLETE')
        self.cfn.delete_stack(StackName='stacks-nodes-common')
        deleted = self.d.wait(stack['StackId'])
        self.assertEqual(deleted['StackStatus'], 'DELETE_COMPLETE')
        skipped = [e['LogicalResourceId'] for e in self.d.events(stack['StackId']) if e['ResourceStatus'] == 'DELETE_SKIPPED']
        self.assertEqual(skipped, ['AssetsBucket'])
        self.assertIn(bucket, FAKE.control('state')['buckets'])  # retained
        code, message, _ = error_of(self.cfn.describe_stacks, StackName='stacks-nodes-common')
        self.assertEqual((code, message), ('ValidationError', 'Stack with id stacks-nodes-common does not exist'))

    def test_change_set_listing_deletion_and_status_errors(self):
        self.d.deploy('listing', SIMPLE)
        self.d.change_set('listing', 'same', SIMPLE, expect='FAILED')
        self.d.change_set('listing', 'bigger', SIMPLE, params={'Size': '11'})
        names = {s['ChangeSetName']: s['Status'] for s in self.cfn.list_change_sets(StackName='listing')['Summaries']}
        self.assertEqual(names, {'deploy1': 'CREATE_COMPLETE', 'same': 'FAILED', 'bigger': 'CREATE_COMPLETE'})
        self.assertEqual(error_of(self.cfn.execute_change_set, StackName='listing', ChangeSetName='same')[0],
                         'InvalidChangeSetStatus')
        self.cfn.delete_change_set(StackName='listing', ChangeSetName='same')
        self.assertEqual(error_of(self.cfn.describe_change_set, StackName='listing', ChangeSetName='same')[::2],
                         ('ChangeSetNotFound', 404))
        self.assertEqual(error_of(self.cfn.create_change_set, StackName='listing', ChangeSetName='bigger',
                                  TemplateBody=SIMPLE)[0], 'AlreadyExistsException')
        resources = self.cfn.list_stack_resources(StackName='listing')['StackResourceSummaries']
        self.assertEqual({r['LogicalResourceId']: r['ResourceStatus'] for r in resources},
                         {'Group': 'CREATE_COMPLETE', 'Volume': 'CREATE_COMPLETE'})

    def test_create_and_update_stack_directly(self):
        stack_id = self.cfn.create_stack(StackName='direct', TemplateBody=SIMPLE)['StackId']
        self.assertEqual(self.d.wait('direct')['StackStatus'], 'CREATE_COMPLETE')
        self.assertEqual(error_of(self.cfn.update_stack, StackName='direct', TemplateBody=SIMPLE),
                         ('ValidationError', 'No updates are to be performed.', 400))
        self.cfn.update_stack(StackName='direct', UsePreviousTemplate=True,
                              Parameters=[{'ParameterKey': 'Size', 'ParameterValue': '12'}])
        self.assertEqual(self.d.wait(stack_id)['StackStatus'], 'UPDATE_COMPLETE')
        self.assertEqual(error_of(self.cfn.create_stack, StackName='direct', TemplateBody=SIMPLE)[0],
                         'AlreadyExistsException')

    def test_validate_template(self):
        out = self.cfn.validate_template(TemplateBody=template('stacks-common.template.json'))
        self.assertEqual(out['Capabilities'], ['CAPABILITY_IAM'])
        out = self.cfn.validate_template(TemplateBody=SIMPLE)
        self.assertEqual(out['Parameters'][0]['ParameterKey'], 'Size')


class BackgroundTickTests(unittest.TestCase):
    """A server ticking by itself (--tick-ms), as the C++ tests run it, with a state file."""

    def test_ticks_and_state_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'state.json')
            fake = Fake('--tick-ms', '5', '--state', path, '--auto-signal-ticks', '1')
            try:
                cfn = fake.client('cloudformation')
                cfn.create_change_set(StackName='ticking', ChangeSetName='c', ChangeSetType='CREATE', TemplateBody=SIMPLE)
                fake.client('cloudformation').get_waiter('change_set_create_complete').wait(
                    StackName='ticking', ChangeSetName='c', WaiterConfig={'Delay': 0.05, 'MaxAttempts': 200})
                cfn.execute_change_set(StackName='ticking', ChangeSetName='c')
                deadline = time.time() + 10
                while cfn.describe_stacks(StackName='ticking')['Stacks'][0]['StackStatus'] != 'CREATE_COMPLETE':
                    self.assertLess(time.time(), deadline)
                    time.sleep(0.02)
            finally:
                fake.stop()
            again = Fake('--tick-ms', '5', '--state', path)
            try:
                stack = again.client('cloudformation').describe_stacks(StackName='ticking')['Stacks'][0]
                self.assertEqual(stack['StackStatus'], 'CREATE_COMPLETE')
            finally:
                again.stop()

    def test_refuses_other_addresses(self):
        result = subprocess.run([sys.executable, os.path.join(HERE, 'server.py'), '--host', '0.0.0.0', '--port', '0'],
                                capture_output=True, text=True, timeout=20)
        self.assertEqual(result.returncode, 2)
        self.assertIn('127.0.0.1 only', result.stderr)


if __name__ == '__main__':
    unittest.main()
