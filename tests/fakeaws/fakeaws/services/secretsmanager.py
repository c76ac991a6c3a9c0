"""Secrets Manager: CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret, DeleteSecret,
ListSecrets, with versions staged AWSCURRENT / AWSPREVIOUS."""
from .base import Service, Store



def demote_current(secret):
    """Before a new current version: the current one becomes AWSPREVIOUS, the previous one goes."""
    for version in secret['Versions'].values():
        if 'AWSPREVIOUS' in version['Stages']:
            version['Stages'].remove('AWSPREVIOUS')
        if 'AWSCURRENT' in version['Stages']:
            version['Stages'].remove('AWSCURRENT')
            version['Stages'].append('AWSPREVIOUS')
    secret['Versions'] = {k: v for k, v in secret['Versions'].items() if v['Stages']}

class SecretsStore(Store):
    def empty(self):
        return {'secrets': {}}  # arn -> secret

    def seed(self, data):
        for name, value in data.get('secrets', {}).items():
            region = 'us-east-1'
            arn = f'arn:aws:secretsmanager:{region}:111111111111:secret:{name}-{self.state.alnum(6, upper=False)}'
            now = self.state.clock.now()
            version = self.state.uuid()
            self.data['secrets'][arn] = {
                'ARN': arn, 'Name': name, 'Region': region, 'CreatedDate': now, 'LastChangedDate': now,
                'Tags': [], 'Description': None, 'DeletedDate': None,
                # null: a secret without a value, as CreateSecret without SecretString leaves it.
                'Versions': {} if value is None else {
                    version: {'SecretString': value, 'Stages': ['AWSCURRENT'], 'CreatedDate': now}}}

    def add_secret(self, region, account, name, value, description=None, tags=(), kms_key_id=None):
        """A new secret, with `value` as its current version (None: no value). Returns its ARN."""
        now = self.state.clock.now()
        arn = f'arn:aws:secretsmanager:{region}:{account}:secret:{name}-{self.state.alnum(6, upper=False)}'
        secret = {'ARN': arn, 'Name': name, 'Region': region, 'CreatedDate': now, 'LastChangedDate': now,
                  'Description': description, 'Tags': list(tags), 'DeletedDate': None, 'Versions': {},
                  'KmsKeyId': kms_key_id}
        self.data['secrets'][arn] = secret
        if value is not None:
            self.put_value(secret, value)
        return arn

    def put_value(self, secret, value):
        """A new current version holding `value`; the current one becomes AWSPREVIOUS."""
        now = self.state.clock.now()
        demote_current(secret)
        secret['Versions'][self.state.uuid()] = {'SecretString': value, 'SecretBinary': None,
                                                 'Stages': ['AWSCURRENT'], 'CreatedDate': now}
        secret['LastChangedDate'] = now

    def view(self, bodies=False):
        return {'secrets': {s['Name']: {'arn': arn, 'versions': len(s['Versions']),
                                        'deleted': s['DeletedDate'] is not None,
                                        'description': s.get('Description'), 'tags': s.get('Tags', []),
                                        'kms_key_id': s.get('KmsKeyId')}
                            for arn, s in self.data['secrets'].items()}}


class SecretsManager(Service):
    name = 'secretsmanager'

    def _find(self, call, secret_id, allow_deleted=False):
        for arn, secret in self.store.data['secrets'].items():
            if secret['Region'] != call.region:
                continue
            if secret_id in (arn, secret['Name']) or (secret_id.startswith('arn:') and arn.startswith(secret_id)
                                                      and len(arn) - len(secret_id) == 7):
                if secret['DeletedDate'] is not None and not allow_deleted:
                    raise self.error('InvalidRequestException', "You can't perform this operation on the "
                                     'secret because it was marked for deletion.')
                return secret
        raise self.error('ResourceNotFoundException', "Secrets Manager can't find the specified secret.")

    def _add_version(self, secret, params, now):
        version_id = params.get('ClientRequestToken') or self.state.uuid()
        if version_id in secret['Versions']:
            # Idempotent only for the same value, as in Secrets Manager.
            existing = secret['Versions'][version_id]
            if (existing.get('SecretString'), existing.get('SecretBinary')) != \
                    (params.get('SecretString'), params.get('SecretBinary')):
                raise self.error('ResourceExistsException',
                                 'You can\'t modify an existing version, you can only create a new version.')
            return version_id
        demote_current(secret)
        secret['Versions'][version_id] = {'SecretString': params.get('SecretString'),
                                          'SecretBinary': params.get('SecretBinary'),
                                          'Stages': ['AWSCURRENT'], 'CreatedDate': now}
        secret['LastChangedDate'] = now
        return version_id

    def CreateSecret(self, call):
        params = call.params
        if params.get('SecretString') is not None and params.get('SecretBinary') is not None:
            raise self.error('InvalidParameterException', 'You can\'t specify both a binary secret value '
                             'and a string secret value in the same secret.')
        for secret in self.store.data['secrets'].values():
            if secret['Name'] == params['Name'] and secret['Region'] == call.region:
                raise self.error('ResourceExistsException',
                                 f"The operation failed because the secret {params['Name']} already exists.")
        arn = (f'arn:aws:secretsmanager:{call.region}:{call.account}:secret:{params["Name"]}-'
               f'{self.state.alnum(6, upper=False)}')
        secret = {'ARN': arn, 'Name': params['Name'], 'Region': call.region, 'CreatedDate': call.now,
                  'LastChangedDate': call.now, 'Description': params.get('Description'),
                  'Tags': params.get('Tags', []), 'DeletedDate': None, 'Versions': {},
                  'KmsKeyId': params.get('KmsKeyId')}
        self.store.data['secrets'][arn] = secret
        version_id = None
        if params.get('SecretString') is not None or params.get('SecretBinary') is not None:
            version_id = self._add_version(secret, params, call.now)
        return {'ARN': arn, 'Name': params['Name'], 'VersionId': version_id}

    def PutSecretValue(self, call):
        secret = self._find(call, call.params['SecretId'])
        if call.params.get('SecretString') is None and call.params.get('SecretBinary') is None:
            raise self.error('InvalidRequestException', 'You must provide either SecretString or SecretBinary.')
        version_id = self._add_version(secret, call.params, call.now)
        return {'ARN': secret['ARN'], 'Name': secret['Name'], 'VersionId': version_id,
                'VersionStages': secret['Versions'][version_id]['Stages']}

    def GetSecretValue(self, call):
        secret = self._find(call, call.params['SecretId'])
        wanted_id = call.params.get('VersionId')
        stage = call.params.get('VersionStage', 'AWSCURRENT' if not wanted_id else None)
        for version_id, version in secret['Versions'].items():
            if (wanted_id in (None, version_id)) and (stage is None or stage in version['Stages']):
                return {'ARN': secret['ARN'], 'Name': secret['Name'], 'VersionId': version_id,
                        'SecretString': version.get('SecretString'),
                        'SecretBinary': version.get('SecretBinary'),
                        'VersionStages': version['Stages'], 'CreatedDate': version['CreatedDate']}
        raise self.error('ResourceNotFoundException',
                         "Secrets Manager can't find the specified secret value for staging label: "
                         f'{stage or "AWSCURRENT"}')

    def DescribeSecret(self, call):
        secret = self._find(call, call.params['SecretId'], allow_deleted=True)
        return {'ARN': secret['ARN'], 'Name': secret['Name'], 'Description': secret.get('Description'),
                'KmsKeyId': secret.get('KmsKeyId'), 'LastChangedDate': secret['LastChangedDate'],
                'CreatedDate': secret['CreatedDate'], 'DeletedDate': secret['DeletedDate'],
                'Tags': secret['Tags'],
                'VersionIdsToStages': {k: v['Stages'] for k, v in secret['Versions'].items()}}

    def DeleteSecret(self, call):
        secret = self._find(call, call.params['SecretId'])
        if call.params.get('ForceDeleteWithoutRecovery'):
            del self.store.data['secrets'][secret['ARN']]
        else:
            secret['DeletedDate'] = call.now
        return {'ARN': secret['ARN'], 'Name': secret['Name'], 'DeletionDate': call.now}

    def ListSecrets(self, call):
        return {'SecretList': [{'ARN': s['ARN'], 'Name': s['Name'], 'LastChangedDate': s['LastChangedDate'],
                                'CreatedDate': s['CreatedDate'], 'Tags': s['Tags']}
                               for s in self.store.data['secrets'].values()
                               if s['Region'] == call.region and s['DeletedDate'] is None]}
