"""SSM Parameter Store: the public Amazon Linux AMI parameters, plus parameters seeded or put."""
import base64

from .base import Service, Store

_AMI_PREFIX = '/aws/service/ami-amazon-linux-latest/'
PUBLIC_AMIS = {
    _AMI_PREFIX + 'al2023-ami-kernel-default-x86_64': 'ami-0123456789abcdef0',
    _AMI_PREFIX + 'al2023-ami-kernel-default-arm64': 'ami-0fedcba9876543210',
    _AMI_PREFIX + 'al2023-ami-kernel-6.1-x86_64': 'ami-0123456789abcdef1',
    _AMI_PREFIX + 'al2023-ami-kernel-6.1-arm64': 'ami-0fedcba9876543211',
    _AMI_PREFIX + 'al2023-ami-minimal-kernel-default-x86_64': 'ami-0123456789abcdef2',
    _AMI_PREFIX + 'al2023-ami-minimal-kernel-default-arm64': 'ami-0fedcba9876543212',
}


class SsmStore(Store):
    def empty(self):
        return {'parameters': {}}

    def get(self, name, region, account, now):
        if name in PUBLIC_AMIS:
            return {'Name': name, 'Type': 'String', 'Value': PUBLIC_AMIS[name], 'Version': 1,
                    'LastModifiedDate': now.replace(hour=0, minute=0, second=0, microsecond=0),
                    'ARN': f'arn:aws:ssm:{region}::parameter{name}', 'DataType': 'aws:ec2:image'}
        param = self.data['parameters'].get(name)
        if param is None:
            return None
        return dict(param, ARN=f'arn:aws:ssm:{region}:{account}:parameter{name}')

    def put(self, name, value, kind='String', now=None, data_type='text'):
        old = self.data['parameters'].get(name)
        version = old['Version'] + 1 if old else 1
        self.data['parameters'][name] = {'Name': name, 'Type': kind, 'Value': value, 'Version': version,
                                         'LastModifiedDate': now or self.state.clock.now(),
                                         'DataType': data_type}
        return version

    def seed(self, data):
        for name, value in data.get('ssm_parameters', {}).items():
            if isinstance(value, dict):
                self.put(name, value['Value'], value.get('Type', 'String'),
                         data_type=value.get('DataType', 'text'))
            else:
                self.put(name, value)

    def view(self, bodies=False):
        return {'ssm_parameters': {n: p['Value'] for n, p in self.data['parameters'].items()}}


class Ssm(Service):
    name = 'ssm'

    def _lookup(self, call, name, decrypt):
        if name.startswith('arn:'):
            name = name.split(':parameter', 1)[-1]
        param = self.store.get(name, call.region, call.account, call.now)
        if param is None:
            return None
        param = dict(param)
        if param['Type'] == 'SecureString' and not decrypt:
            param['Value'] = base64.b64encode(b'kms-encrypted:' + param['Value'].encode()).decode()
        return param

    def GetParameter(self, call):
        param = self._lookup(call, call.params['Name'], call.params.get('WithDecryption', False))
        if param is None:
            raise self.error('ParameterNotFound', None)
        return {'Parameter': param}

    def GetParameters(self, call):
        found, invalid = [], []
        for name in call.params['Names']:
            param = self._lookup(call, name, call.params.get('WithDecryption', False))
            (found if param else invalid).append(param or name)
        return {'Parameters': found, 'InvalidParameters': invalid}

    def PutParameter(self, call):
        params = call.params
        name = params['Name']
        if name.startswith('/aws/') or name.startswith('aws') or name.startswith('ssm'):
            raise self.error('AccessDeniedException', f'No access to reserved parameter name: {name}.', 400)
        old = self.store.data['parameters'].get(name)
        if old and not params.get('Overwrite'):
            raise self.error('ParameterAlreadyExists', 'The parameter already exists. To overwrite this '
                             'value, set the overwrite option in the request to true.')
        kind = params.get('Type') or (old['Type'] if old else None)
        if kind is None:
            raise self.error('ValidationException', 'A parameter type is required when you create a parameter.',
                             400)
        version = self.store.put(name, params['Value'], kind, call.now, params.get('DataType', 'text'))
        return {'Version': version, 'Tier': params.get('Tier', 'Standard')}
