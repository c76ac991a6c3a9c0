"""STS: GetCallerIdentity and AssumeRole (temporary credentials the fake then accepts)."""
import datetime
import hashlib
import re

from ..state import Credential
from .base import Service

_ROLE_ARN = re.compile(r'arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)')


def role_id(role_name):
    digest = hashlib.sha256(role_name.encode()).hexdigest().upper()
    return 'AROA' + ''.join(c if c.isalpha() else chr(ord('A') + int(c)) for c in digest[:17])


def issue_role_credentials(state, role_arn, session_name, duration_seconds, chained=False):
    """Temporary credentials for an assumed role, registered so the fake accepts them."""
    match = _ROLE_ARN.fullmatch(role_arn)
    account, role_name = (match.group(1), match.group(2)) if match else (state_account(state), role_arn)
    expiration = (state.clock.now() + datetime.timedelta(seconds=duration_seconds)).replace(microsecond=0)
    user_id = f'{role_id(role_name)}:{session_name}'
    return state.add_credential(Credential(
        state.new_access_key('ASIA'), state.new_secret(), state.new_token(), expiration,
        arn=f'arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}', user_id=user_id,
        account=account, chained=chained))


def state_account(state):
    from .. import ACCOUNT_ID
    return ACCOUNT_ID


class Sts(Service):
    name = 'sts'

    def GetCallerIdentity(self, call):
        cred = call.credential
        return {'UserId': cred.user_id, 'Account': cred.account, 'Arn': cred.arn}

    def AssumeRole(self, call):
        params = call.params
        role_arn = params['RoleArn']
        if not _ROLE_ARN.fullmatch(role_arn):
            raise self.error('ValidationError', f'{role_arn} is invalid', 400)
        deny = self.state.settings.get('deny_assume_role')
        if deny is True or (isinstance(deny, list) and role_arn in deny):
            raise self.error('AccessDenied', f'User: {call.credential.arn} is not authorized to perform: '
                             f'sts:AssumeRole on resource: {role_arn}', 403)
        duration = params.get('DurationSeconds', 3600)
        chained = call.credential.session_token is not None
        if chained and duration > 3600:
            raise self.error('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session '
                             'limit for roles assumed by role chaining.', 400)
        if duration > self.state.settings.get('role_max_session_seconds', 3600):
            raise self.error('ValidationError', 'The requested DurationSeconds exceeds the '
                             'MaxSessionDuration set for this role.', 400)
        cred = issue_role_credentials(self.state, role_arn, params['RoleSessionName'], duration, chained)
        return {'Credentials': {'AccessKeyId': cred.access_key_id,
                                'SecretAccessKey': cred.secret_access_key,
                                'SessionToken': cred.session_token, 'Expiration': cred.expiration},
                'AssumedRoleUser': {'AssumedRoleId': cred.user_id, 'Arn': cred.arn},
                'PackedPolicySize': 0 if params.get('Policy') else None}
