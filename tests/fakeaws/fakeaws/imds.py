"""A fake EC2 instance metadata service, IMDSv2 only (as the node templates require).

PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds (1-21600) returns a token; every
GET needs a valid unexpired X-aws-ec2-metadata-token (else 401). The role credentials it serves are
registered with the AWS fake (same process, or POST <aws-url>/__fake/credentials) and expire after
--credential-ttl seconds; a new set is issued once half of that has passed.
"""
import datetime
import json
import secrets
import threading
import time
import urllib.request

from .app import _json_response
from .errors import FAULT_KINDS
from .wire import HttpResponse, iso8601

_TEXT = [('Content-Type', 'text/plain')]


def _z(value):
    return value.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


class ImdsApp:
    def __init__(self, instance_id='i-0123456789abcdef0', region='us-east-1', availability_zone=None,
                 role_name='stacks-nodes-common-NodeRole-FAKE0000000', credential_ttl=21600, aws_state=None,
                 aws_url=None, target_lifecycle_state='InService'):
        self.lock = threading.RLock()
        self.config = {'instance_id': instance_id, 'region': region,
                       'availability_zone': availability_zone or f'{region}a', 'role_name': role_name,
                       'credential_ttl_seconds': credential_ttl, 'target_lifecycle_state': target_lifecycle_state,
                       'local_ipv4': '172.31.3.10', 'ami_id': 'ami-0123456789abcdef0', 'instance_type': 'm5.large',
                       'user_data': None, 'account': '111111111111'}
        self.aws_state = aws_state
        self.aws_url = aws_url
        self.tokens = {}
        self.faults = []
        self.requests = []
        self.credential = None
        self.issued_at = None

    # -- time and credentials ----------------------------------------------------------------------

    def now(self):
        if self.aws_state is not None:
            return self.aws_state.clock.now()
        return datetime.datetime.now(datetime.timezone.utc)

    def credentials(self):
        ttl = float(self.config['credential_ttl_seconds'])
        now = self.now()
        if self.credential is None or now >= self.issued_at + datetime.timedelta(seconds=ttl / 2):
            self.rotate()
        return self.credential

    def rotate(self):
        ttl = float(self.config['credential_ttl_seconds'])
        role_arn = f"arn:aws:iam::{self.config['account']}:role/{self.config['role_name']}"
        if self.aws_state is not None:
            from .services.sts import issue_role_credentials
            with self.aws_state.lock:
                cred = issue_role_credentials(self.aws_state, role_arn, self.config['instance_id'], ttl)
            self.credential = {'AccessKeyId': cred.access_key_id, 'SecretAccessKey': cred.secret_access_key,
                               'Token': cred.session_token, 'Expiration': cred.expiration}
        else:
            expiration = (self.now() + datetime.timedelta(seconds=ttl)).replace(microsecond=0)
            self.credential = {'AccessKeyId': 'ASIA' + secrets.token_hex(8).upper(),
                               'SecretAccessKey': secrets.token_urlsafe(30)[:40],
                               'Token': 'IQoJb3JpZ2luX2Vj' + secrets.token_urlsafe(120), 'Expiration': expiration}
            if self.aws_url:
                body = json.dumps({'access_key_id': self.credential['AccessKeyId'],
                                   'secret_access_key': self.credential['SecretAccessKey'],
                                   'session_token': self.credential['Token'],
                                   'expiration': iso8601(expiration),
                                   'arn': f"arn:aws:sts::{self.config['account']}:assumed-role/"
                                          f"{self.config['role_name']}/{self.config['instance_id']}"}).encode()
                req = urllib.request.Request(self.aws_url.rstrip('/') + '/__fake/credentials', body, method='POST',
                                             headers={'Content-Type': 'application/json'})
                urllib.request.urlopen(req, timeout=5).read()
        self.issued_at = self.now()

    # -- requests --------------------------------------------------------------------------------

    def handle(self, request):
        if request.path.startswith('/__fake'):
            return self.control(request)
        with self.lock:
            entry = {'id': len(self.requests) + 1, 'method': request.method, 'path': request.path,
                     'time': iso8601(datetime.datetime.now(datetime.timezone.utc)), 'status': None, 'fault': None}
            self.requests.append(entry)
            fault = next((f for f in self.faults if f['count'] > 0 and request.path.startswith(f.get('path', '/'))), None)
            if fault:
                fault['count'] -= 1
                if fault['count'] <= 0:
                    self.faults.remove(fault)
                entry['fault'] = fault['kind']
            response = self._fault_response(fault) if fault and fault['kind'] != 'delay' else None
            if fault and fault['kind'] == 'delay':
                time.sleep(fault.get('delay_ms', 0) / 1000.0)
            if response is None:
                response = self._serve(request)
            entry['status'] = response.status if response.action is None else response.action
            return response

    @staticmethod
    def _fault_response(fault):
        kind = fault['kind']
        if kind in ('drop', 'reset'):
            return HttpResponse(action=kind)
        status = {'500': 500, '503': 503, 'throttle': 429, '401': 401, '404': 404}.get(kind, 500)
        return HttpResponse(status, _TEXT, f'fault injected: {kind}')

    def _serve(self, request):
        if request.path == '/latest/api/token':
            if request.method != 'PUT':
                return HttpResponse(405, _TEXT, 'Method Not Allowed')
            if request.header('x-forwarded-for'):
                return HttpResponse(403, _TEXT, 'Forbidden')
            ttl = request.header('x-aws-ec2-metadata-token-ttl-seconds')
            if ttl is None or not ttl.strip().isdigit() or not 1 <= int(ttl) <= 21600:
                return HttpResponse(400, _TEXT, 'Bad Request')
            token = secrets.token_urlsafe(42)
            self.tokens[token] = time.monotonic() + int(ttl)
            return HttpResponse(200, _TEXT + [('X-aws-ec2-metadata-token-ttl-seconds', ttl.strip())], token)
        token = request.header('x-aws-ec2-metadata-token')
        if request.method == 'PUT':
            return HttpResponse(405, _TEXT, 'Method Not Allowed')
        if not token or self.tokens.get(token, 0) < time.monotonic():
            return HttpResponse(401, _TEXT, 'Unauthorized')
        body = self._metadata(request.path)
        if body is None:
            return HttpResponse(404, [('Content-Type', 'text/html')], 'Not Found')
        content_type = 'application/json' if body.startswith('{') else 'text/plain'
        return HttpResponse(200, [('Content-Type', content_type)], body)

    def _metadata(self, path):
        c = self.config
        role = c['role_name']
        md = {
            'instance-id': c['instance_id'], 'ami-id': c['ami_id'], 'instance-type': c['instance_type'],
            'local-ipv4': c['local_ipv4'], 'local-hostname': f"ip-{c['local_ipv4'].replace('.', '-')}.ec2.internal",
            'hostname': f"ip-{c['local_ipv4'].replace('.', '-')}.ec2.internal",
            'placement/region': c['region'], 'placement/availability-zone': c['availability_zone'],
            'placement/availability-zone-id': 'use1-az1',
        }
        if path in ('/latest/meta-data', '/latest/meta-data/'):
            names = sorted({k.split('/')[0] + ('/' if '/' in k else '') for k in md} | {'iam/'} |
                           ({'autoscaling/'} if c['target_lifecycle_state'] else set()))
            return '\n'.join(names)
        if path == '/latest/user-data':
            return c['user_data']
        if path == '/latest/dynamic/instance-identity/document':
            return json.dumps({'accountId': c['account'], 'architecture': 'x86_64',
                               'availabilityZone': c['availability_zone'],
                               'imageId': c['ami_id'], 'instanceId': c['instance_id'],
                               'instanceType': c['instance_type'], 'privateIp': c['local_ipv4'],
                               'region': c['region'], 'version': '2017-09-30',
                               'pendingTime': _z(self.now())}, indent=2)
        prefix = '/latest/meta-data/'
        if not path.startswith(prefix):
            return None
        key = path[len(prefix):]
        if key in md:
            return md[key]
        if key in ('placement', 'placement/'):
            return 'availability-zone\navailability-zone-id\nregion'
        if key in ('iam', 'iam/'):
            return 'info\nsecurity-credentials/'
        if key == 'iam/info':
            return json.dumps({'Code': 'Success', 'LastUpdated': _z(self.now()),
                               'InstanceProfileArn': f"arn:aws:iam::{c['account']}:instance-profile/{role}",
                               'InstanceProfileId': 'AIPAFAKEINSTANCEPROF1'}, indent=2)
        if key == 'iam/security-credentials/':
            return role
        if key == f'iam/security-credentials/{role}':
            cred = self.credentials()
            return json.dumps({'Code': 'Success', 'LastUpdated': _z(self.issued_at), 'Type': 'AWS-HMAC',
                               'AccessKeyId': cred['AccessKeyId'], 'SecretAccessKey': cred['SecretAccessKey'],
                               'Token': cred['Token'], 'Expiration': _z(cred['Expiration'])}, indent=2)
        if key in ('autoscaling', 'autoscaling/') and c['target_lifecycle_state']:
            return 'target-lifecycle-state'
        if key == 'autoscaling/target-lifecycle-state' and c['target_lifecycle_state']:
            return c['target_lifecycle_state']
        return None

    # -- control ---------------------------------------------------------------------------------------

    def control(self, request):
        path = request.path[len('/__fake'):].rstrip('/') or '/'
        body = json.loads(request.body or b'null') if request.body else None
        with self.lock:
            if path == '/health':
                return _json_response({'ok': True})
            if path == '/requests':
                if request.method == 'DELETE':
                    self.requests = []
                return _json_response(self.requests)
            if path == '/faults':
                if request.method == 'POST':
                    for spec in body if isinstance(body, list) else [body]:
                        if spec.get('kind') not in FAULT_KINDS + ('401', '404'):
                            return _json_response({'error': 'unknown fault kind'}, 400)
                        self.faults.append({'path': spec.get('path', '/'), 'kind': spec['kind'],
                                            'count': int(spec.get('count', 1)), 'delay_ms': int(spec.get('delay_ms', 0))})
                elif request.method == 'DELETE':
                    self.faults = []
                return _json_response(self.faults)
            if path == '/imds':
                if request.method == 'POST':
                    unknown = set(body or {}) - set(self.config)
                    if unknown:
                        return _json_response({'error': f'unknown settings {sorted(unknown)}'}, 400)
                    self.config.update(body or {})
                return _json_response(dict(self.config, credential=self.credential))
            if path == '/rotate' and request.method == 'POST':
                self.rotate()
                return _json_response(self.credential)
            if path == '/tokens' and request.method == 'DELETE':
                self.tokens = {}
                return _json_response({'ok': True})
        return _json_response({'error': f'no control endpoint {request.method} {request.path}'}, 404)
