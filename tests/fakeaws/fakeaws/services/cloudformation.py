"""CloudFormation: the API over the engine (fakeaws.cfn.engine) — change sets, stacks, events,
resources, exports and imports, signals."""
import base64
import re
from urllib.parse import unquote, urlsplit

from ..cfn.engine import UPDATABLE, parameter_list
from ..cfn.template import MAX_TEMPLATE_BODY, Template, TemplateError
from ..errors import AwsError
from .base import Service

_MAX_TEMPLATE_URL_BYTES = 1000000
_AMI = re.compile(r'ami-[0-9a-f]{8}(?:[0-9a-f]{9})?')


def _validation(message):
    return AwsError('ValidationError', message, 400)


class CloudFormation(Service):
    name = 'cloudformation'

    @property
    def engine(self):
        return self.store

    # -- lookups --------------------------------------------------------------------------------

    def _stack(self, call, name, include_deleted=False):
        stack = self.engine.find_stack(call.region, name, include_deleted=include_deleted)
        if stack is None:
            raise _validation(f'Stack with id {name} does not exist')
        return stack

    def _change_set(self, call, name, stack_name=None):
        if name.startswith('arn:'):
            cs = self.engine.data['change_sets'].get(name)
        else:
            if not stack_name:
                raise _validation('StackName must be specified if ChangeSetName is not specified as an ARN.')
            stack = self.engine.find_stack(call.region, stack_name)
            cs = None
            if stack is not None:
                cs = next((c for c in self.engine.data['change_sets'].values()
                           if c['StackId'] == stack['StackId'] and c['ChangeSetName'] == name), None)
        if cs is None:
            raise self.error('ChangeSetNotFound', f'ChangeSet [{name}] does not exist')
        return cs

    # -- templates and parameters ----------------------------------------------------------------

    def _template_body(self, call, params, stack=None):
        body, url, previous = params.get('TemplateBody'), params.get('TemplateURL'), params.get('UsePreviousTemplate')
        given = [x for x in (body is not None, url is not None, bool(previous)) if x]
        if len(given) > 1:
            raise _validation('Exactly one of TemplateBody, TemplateURL or UsePreviousTemplate must be specified.')
        if not given:
            raise _validation('Either Template URL or Template Body must be specified.')
        if previous:
            if stack is None or stack['TemplateBody'] is None:
                raise _validation('UsePreviousTemplate is only valid for updates of an existing stack.')
            return stack['TemplateBody']
        if body is not None:
            if len(body.encode()) > MAX_TEMPLATE_BODY:
                raise _validation(f"1 validation error detected: Value '{body[:64]}...' at 'templateBody' failed to "
                                  f"satisfy constraint: Member must have length less than or equal to {MAX_TEMPLATE_BODY}")
            return body
        return self._fetch_template(url)

    def _fetch_template(self, url):
        parts = urlsplit(url)
        host = (parts.hostname or '').lower()
        path = parts.path.lstrip('/')
        match = re.fullmatch(r'(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?', host)
        if match:
            bucket, key = match.group(1), path
        elif re.fullmatch(r's3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?', host) or host in ('127.0.0.1', 'localhost'):
            bucket, _, key = path.partition('/')
        else:
            raise _validation('TemplateURL must be a supported URL.')
        s3 = self.state.stores['s3'].bucket(unquote(bucket))
        obj = s3['Objects'].get(unquote(key)) if s3 else None
        if obj is None:
            raise _validation('TemplateURL must reference a valid S3 object to which you have access.')
        if len(obj['Body']) > _MAX_TEMPLATE_URL_BYTES:
            raise _validation(f'Template may not exceed {_MAX_TEMPLATE_URL_BYTES} bytes in size.')
        return obj['Body'].decode('utf-8', errors='replace')

    def _parse(self, body):
        try:
            return Template(body)
        except TemplateError as e:
            raise _validation(str(e)) from None

    def _parameters(self, call, template, given, stack=None):
        """Values (as given) and resolved values (SSM parameter types) of the template's parameters."""
        by_key = {}
        for p in given or []:
            by_key[p['ParameterKey']] = p
        unknown = [k for k in by_key if k not in template.parameters]
        if unknown:
            raise _validation(f'Parameters: [{", ".join(unknown)}] do not exist in the template')
        previous = stack['ParamValues'] if stack else {}
        values, missing = {}, []
        for name, decl in template.parameters.items():
            entry = by_key.get(name)
            if entry and entry.get('UsePreviousValue'):
                if name not in previous:
                    raise _validation(f'Invalid input for parameter key {name}. Cannot specify usePreviousValue as '
                                      'true for a parameter key not in the previous template')
                if entry.get('ParameterValue') is not None:
                    raise _validation(f'Invalid input for parameter key {name}. Cannot specify usePreviousValue as '
                                      'true and non empty value for a parameter')
                values[name] = previous[name]
            elif entry and entry.get('ParameterValue') is not None:
                values[name] = entry['ParameterValue']
            elif 'Default' in decl:
                default = decl['Default']
                values[name] = ','.join(map(str, default)) if isinstance(default, list) else str(default)
            else:
                missing.append(name)
        if missing:
            raise _validation(f'Parameters: [{", ".join(missing)}] must have values')
        resolved = {}
        for name, decl in template.parameters.items():
            self._check_parameter(call, name, decl, values[name], resolved)
        return values, resolved

    def _check_parameter(self, call, name, decl, value, resolved):
        kind = decl['Type']
        constraint = decl.get('ConstraintDescription')

        def fail(message):
            raise _validation(f'Parameter {name} failed to satisfy constraint: {constraint}' if constraint else message)
        items = [v.strip() for v in value.split(',')] if ('List<' in kind or kind == 'CommaDelimitedList') else [value]
        if kind in ('Number', 'List<Number>'):
            for item in items:
                try:
                    float(item)
                except ValueError:
                    raise _validation(f"Parameter '{name}' must be a number.") from None
        allowed = decl.get('AllowedValues')
        if allowed is not None and any(item not in [str(a) for a in allowed] for item in items):
            fail(f"Parameter '{name}' must be one of AllowedValues")
        pattern = decl.get('AllowedPattern')
        if pattern and kind == 'String' and not re.fullmatch(pattern, value):
            fail(f"Parameter '{name}' must match pattern {pattern}")
        if 'MinLength' in decl and len(value) < int(decl['MinLength']):
            fail(f"Parameter '{name}' must contain at least {decl['MinLength']} characters")
        if 'MaxLength' in decl and len(value) > int(decl['MaxLength']):
            fail(f"Parameter '{name}' must contain at most {decl['MaxLength']} characters")
        if 'MinValue' in decl and float(value) < float(decl['MinValue']):
            fail(f"Parameter '{name}' must be a number not less than {decl['MinValue']}")
        if 'MaxValue' in decl and float(value) > float(decl['MaxValue']):
            fail(f"Parameter '{name}' must be a number not greater than {decl['MaxValue']}")
        ec2 = self.state.stores['ec2']
        checks = {
            'VPC::Id': lambda v: v in {x['VpcId'] for x in ec2.vpcs(call.region, call.account)},
            'Subnet::Id': lambda v: v in {x['SubnetId'] for x in ec2.subnets(call.region, call.account)},
            'AvailabilityZone::Name': lambda v: v in {z['ZoneName'] for z in _zones(call.region)},
            'Image::Id': lambda v: _AMI.fullmatch(v) is not None,
        }
        for suffix, exists in checks.items():
            if kind.replace('List<', '').rstrip('>').endswith('AWS::EC2::' + suffix):
                for item in items:
                    if not exists(item):
                        raise _validation(f'Parameter validation failed: parameter value {item} for parameter name '
                                          f'{name} does not exist.')
        if kind.startswith('AWS::SSM::Parameter::Value<'):
            param = self.state.stores['ssm'].get(value, call.region, call.account, call.now)
            if param is None:
                raise _validation(f'Unable to fetch parameters [{value}] from parameter store for this account.')
            resolved[name] = param['Value']

    def _check_capabilities(self, template, capabilities):
        needed = template.required_capability()
        given = set(capabilities or [])
        if needed == 'CAPABILITY_IAM' and not given & {'CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'}:
            raise self.error('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_IAM]')
        if needed == 'CAPABILITY_NAMED_IAM' and 'CAPABILITY_NAMED_IAM' not in given:
            raise self.error('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_NAMED_IAM]')

    # -- change sets --------------------------------------------------------------------------------

    def CreateChangeSet(self, call):
        p = call.params
        kind = p.get('ChangeSetType', 'UPDATE')
        name = p['StackName']
        stack = self.engine.find_stack(call.region, name)
        if kind == 'IMPORT':
            raise _validation('The fake CloudFormation does not import resources.')
        if kind == 'CREATE':
            if stack is not None and stack['StackStatus'] != 'REVIEW_IN_PROGRESS':
                raise _validation(f"Stack [{name}] already exists and cannot be created again with the changeSet "
                                  f"[{p['ChangeSetName']}].")
        else:
            if stack is None or stack['StackStatus'] == 'REVIEW_IN_PROGRESS':
                raise _validation(f'Stack [{name}] does not exist')
            if stack['StackStatus'] not in UPDATABLE:
                raise _validation(f"Stack:{stack['StackId']} is in {stack['StackStatus']} state and can not be updated.")
        if stack is not None and any(c['StackId'] == stack['StackId'] and c['ChangeSetName'] == p['ChangeSetName']
                                     for c in self.engine.data['change_sets'].values()):
            raise self.error('AlreadyExistsException', f"ChangeSet [{p['ChangeSetName']}] already exists")
        body = self._template_body(call, p, stack if kind == 'UPDATE' else None)
        template = self._parse(body)
        values, resolved = self._parameters(call, template, p.get('Parameters'), stack if kind == 'UPDATE' else None)
        self._check_capabilities(template, p.get('Capabilities'))
        tags = p.get('Tags')
        if tags is None:
            tags = stack['Tags'] if (stack and kind == 'UPDATE') else []
        if stack is None:
            stack = self.engine.new_stack(call.region, call.account, name, call.now)
            self.engine.stack_status(stack, 'REVIEW_IN_PROGRESS', 'User Initiated')
        cs_id = (f"arn:aws:cloudformation:{call.region}:{call.account}:changeSet/{p['ChangeSetName']}/"
                 f'{self.state.uuid()}')
        self.engine.data['change_sets'][cs_id] = {
            'ChangeSetId': cs_id, 'ChangeSetName': p['ChangeSetName'], 'StackId': stack['StackId'],
            'StackName': stack['StackName'], 'Description': p.get('Description'), 'ChangeSetType': kind,
            'TemplateBody': body, 'ParamValues': values, 'Resolved': resolved,
            'Parameters': parameter_list(template, values, resolved), 'CreationTime': call.now,
            'ExecutionStatus': 'UNAVAILABLE', 'Status': 'CREATE_PENDING', 'StatusReason': None,
            'Capabilities': p.get('Capabilities', []), 'Tags': tags, 'Changes': [], 'Ticks': 0, 'NewExports': [],
            'NotificationARNs': p.get('NotificationARNs', [])}
        return {'Id': cs_id, 'StackId': stack['StackId']}

    def DescribeChangeSet(self, call):
        cs = self._change_set(call, call.params['ChangeSetName'], call.params.get('StackName'))
        out = {k: cs[k] for k in ('ChangeSetName', 'ChangeSetId', 'StackId', 'StackName', 'Description', 'Parameters',
                                  'CreationTime', 'ExecutionStatus', 'Status', 'StatusReason', 'NotificationARNs',
                                  'Capabilities', 'Tags')}
        out['Changes'] = [{'Type': 'Resource', 'ResourceChange': change} for change in cs['Changes']]
        out['IncludeNestedStacks'] = False
        out['RollbackConfiguration'] = {}
        return out

    def ExecuteChangeSet(self, call):
        cs = self._change_set(call, call.params['ChangeSetName'], call.params.get('StackName'))
        stack = self.engine.data['stacks'][cs['StackId']]
        if cs['ExecutionStatus'] != 'AVAILABLE':
            current = cs['Status'] if cs['Status'] != 'CREATE_COMPLETE' else cs['ExecutionStatus']
            raise self.error('InvalidChangeSetStatus', f"ChangeSet [{cs['ChangeSetId']}] cannot be executed in its "
                             f'current status of [{current}]')
        allowed = ('REVIEW_IN_PROGRESS',) if cs['ChangeSetType'] == 'CREATE' else UPDATABLE
        if stack['StackStatus'] not in allowed:
            raise _validation(f"Stack:{stack['StackId']} is in {stack['StackStatus']} state and can not be updated.")
        self.engine.execute(cs, bool(call.params.get('DisableRollback')), call.params.get('ClientRequestToken'))
        return {}

    def DeleteChangeSet(self, call):
        cs = self._change_set(call, call.params['ChangeSetName'], call.params.get('StackName'))
        if cs['ExecutionStatus'] == 'EXECUTE_IN_PROGRESS':
            raise self.error('InvalidChangeSetStatus', f"ChangeSet [{cs['ChangeSetId']}] cannot be deleted in its "
                             'current status of [EXECUTE_IN_PROGRESS]')
        del self.engine.data['change_sets'][cs['ChangeSetId']]
        return {}

    def ListChangeSets(self, call):
        stack = self.engine.find_stack(call.region, call.params['StackName'])
        if stack is None:
            raise _validation(f"Stack [{call.params['StackName']}] does not exist")
        return {'Summaries': [
            {k: cs[k] for k in ('StackId', 'StackName', 'ChangeSetId', 'ChangeSetName', 'ExecutionStatus', 'Status',
                                'StatusReason', 'CreationTime', 'Description')}
            for cs in self.engine.data['change_sets'].values() if cs['StackId'] == stack['StackId']]}

    # -- stacks -----------------------------------------------------------------------------------------

    def _stack_view(self, stack):
        return {'StackId': stack['StackId'], 'StackName': stack['StackName'], 'ChangeSetId': stack['ChangeSetId'],
                'Description': stack['Description'],
                'Parameters': parameter_list(Template(stack['TemplateBody']), stack['ParamValues'], stack['Resolved'])
                if stack['TemplateBody'] else None,
                'CreationTime': stack['CreationTime'], 'DeletionTime': stack['DeletionTime'],
                'LastUpdatedTime': stack['LastUpdatedTime'], 'RollbackConfiguration': {},
                'StackStatus': stack['StackStatus'], 'StackStatusReason': stack['StackStatusReason'],
                'DisableRollback': stack['DisableRollback'], 'NotificationARNs': [],
                'Capabilities': stack['Capabilities'] or None, 'Outputs': stack['Outputs'] or None,
                'Tags': stack['Tags'] or None, 'EnableTerminationProtection': False,
                'DriftInformation': {'StackDriftStatus': 'NOT_CHECKED'}}

    def DescribeStacks(self, call):
        name = call.params.get('StackName')
        if name:
            return {'Stacks': [self._stack_view(self._stack(call, name, include_deleted=name.startswith('arn:')))]}
        stacks = [s for s in self.engine.stacks(call.region) if s['StackStatus'] != 'DELETE_COMPLETE']
        return {'Stacks': [self._stack_view(s) for s in reversed(stacks)]}

    def DescribeStackEvents(self, call):
        name = call.params.get('StackName')
        if not name:
            raise _validation('StackName must be specified')
        stack = self._stack(call, name, include_deleted=name.startswith('arn:'))
        events = stack['Events']  # oldest first; a NextToken is the index of the next page's newest
        top = len(events) - 1
        token = call.params.get('NextToken')
        if token:
            try:
                stack_id, _, index = base64.b64decode(token).decode().rpartition('|')
                top = int(index)
                if stack_id != stack['StackId'] or not 0 <= top < len(events):
                    raise ValueError(token)
            except ValueError:
                raise _validation('Invalid NextToken') from None
        size = int(self.state.settings.get('events_page_size', 10))
        bottom = max(top - size + 1, 0)
        result = {'StackEvents': [events[i] for i in range(top, bottom - 1, -1)]}
        if bottom > 0:
            result['NextToken'] = base64.b64encode(f"{stack['StackId']}|{bottom - 1}".encode()).decode()
        return result

    def _resource_view(self, stack, record):
        return {'StackName': stack['StackName'], 'StackId': stack['StackId'],
                'LogicalResourceId': record['LogicalResourceId'], 'PhysicalResourceId': record['PhysicalResourceId'],
                'ResourceType': record['ResourceType'], 'Timestamp': record['Timestamp'],
                'ResourceStatus': record['ResourceStatus'], 'ResourceStatusReason': record['ResourceStatusReason'],
                'Description': record.get('Description'),
                'DriftInformation': {'StackResourceDriftStatus': 'NOT_CHECKED'}}

    def DescribeStackResources(self, call):
        p = call.params
        if p.get('StackName'):
            stacks = [self._stack(call, p['StackName'], include_deleted=p['StackName'].startswith('arn:'))]
        elif p.get('PhysicalResourceId'):
            stacks = [s for s in self.engine.stacks(call.region)
                      if any(r['PhysicalResourceId'] == p['PhysicalResourceId'] for r in s['Resources'].values())]
            if not stacks:
                raise _validation(f"Stack for {p['PhysicalResourceId']} does not exist")
        else:
            raise _validation('Either StackName or PhysicalResourceId must be specified')
        out = []
        for stack in stacks:
            for record in stack['Resources'].values():
                if p.get('LogicalResourceId') not in (None, record['LogicalResourceId']):
                    continue
                if p.get('PhysicalResourceId') not in (None, record['PhysicalResourceId']):
                    continue
                out.append(self._resource_view(stack, record))
        return {'StackResources': out}

    def DescribeStackResource(self, call):
        stack = self._stack(call, call.params['StackName'], include_deleted=call.params['StackName'].startswith('arn:'))
        record = stack['Resources'].get(call.params['LogicalResourceId'])
        if record is None:
            raise _validation(f"Resource {call.params['LogicalResourceId']} does not exist for stack "
                              f"{stack['StackName']}")
        view = self._resource_view(stack, record)
        view['LastUpdatedTimestamp'] = view.pop('Timestamp')
        return {'StackResourceDetail': view}

    def ListStackResources(self, call):
        stack = self._stack(call, call.params['StackName'], include_deleted=call.params['StackName'].startswith('arn:'))
        return {'StackResourceSummaries': [
            {'LogicalResourceId': r['LogicalResourceId'], 'PhysicalResourceId': r['PhysicalResourceId'],
             'ResourceType': r['ResourceType'], 'LastUpdatedTimestamp': r['Timestamp'],
             'ResourceStatus': r['ResourceStatus'], 'ResourceStatusReason': r['ResourceStatusReason'],
             'DriftInformation': {'StackResourceDriftStatus': 'NOT_CHECKED'}}
            for r in stack['Resources'].values()]}

    def GetTemplate(self, call):
        p = call.params
        if p.get('ChangeSetName'):
            body = self._change_set(call, p['ChangeSetName'], p.get('StackName'))['TemplateBody']
        elif p.get('StackName'):
            body = self._stack(call, p['StackName'], include_deleted=p['StackName'].startswith('arn:'))['TemplateBody']
            if body is None:
                raise _validation(f"Stack with id {p['StackName']} does not exist")
        else:
            raise _validation('Either StackName or ChangeSetName must be specified')
        return {'TemplateBody': body, 'StagesAvailable': ['Original', 'Processed']}

    def ValidateTemplate(self, call):
        body = self._template_body(call, call.params)
        template = self._parse(body)
        out = {'Parameters': [{'ParameterKey': k, 'DefaultValue': None if 'Default' not in d else str(d['Default']),
                               'NoEcho': str(d.get('NoEcho', 'false')).lower() == 'true',
                               'Description': d.get('Description')} for k, d in template.parameters.items()],
               'Description': template.description, 'DeclaredTransforms': []}
        needed = template.required_capability()
        if needed:
            iam = sorted({r['Type'] for r in template.resources.values() if r['Type'].startswith('AWS::IAM::')})
            out['Capabilities'] = [needed]
            out['CapabilitiesReason'] = f'The following resource(s) require capabilities: [{", ".join(iam)}]'
        return out

    def DeleteStack(self, call):
        stack = self.engine.find_stack(call.region, call.params['StackName'])
        if stack is None or stack['StackStatus'] == 'DELETE_COMPLETE':
            return {}
        status = stack['StackStatus']
        if status.endswith('_IN_PROGRESS') and status != 'REVIEW_IN_PROGRESS':
            raise _validation(f"Stack [{stack['StackName']}] cannot be deleted while in status {status}")
        retain = call.params.get('RetainResources') or []
        if retain and status != 'DELETE_FAILED':
            raise _validation(f"Invalid operation on stack [{stack['StackId']}]. RetainResources can only be "
                              'specified when the stack is in the DELETE_FAILED state')
        self.engine.delete_stack(stack, retain, call.params.get('ClientRequestToken'))
        return {}

    def CreateStack(self, call):
        """CreateStack as a change set created, computed and executed at once."""
        p = dict(call.params)
        if self.engine.find_stack(call.region, p['StackName']) is not None:
            raise self.error('AlreadyExistsException', f"Stack [{p['StackName']}] already exists")
        cs = self._immediate_change_set(call, p, 'CREATE')
        if cs['Status'] == 'FAILED':
            stack = self.engine.data['stacks'][cs['StackId']]
            del self.engine.data['stacks'][stack['StackId']]
            raise _validation(cs['StatusReason'])
        disable = p.get('DisableRollback') or p.get('OnFailure') == 'DO_NOTHING'
        self.engine.execute(cs, bool(disable), p.get('ClientRequestToken'))
        return {'StackId': cs['StackId']}

    def UpdateStack(self, call):
        p = dict(call.params)
        cs = self._immediate_change_set(call, p, 'UPDATE')
        if cs['Status'] == 'FAILED':
            del self.engine.data['change_sets'][cs['ChangeSetId']]
            reason = cs['StatusReason']
            if reason.startswith('The submitted information'):
                reason = 'No updates are to be performed.'
            raise _validation(reason)
        self.engine.execute(cs, bool(p.get('DisableRollback')), p.get('ClientRequestToken'))
        return {'StackId': cs['StackId']}

    def _immediate_change_set(self, call, p, kind):
        keep = ('StackName', 'TemplateBody', 'TemplateURL', 'UsePreviousTemplate', 'Parameters', 'Capabilities', 'Tags')
        call.params = {k: v for k, v in p.items() if k in keep}
        call.params.update(ChangeSetName=f'fake-direct-{self.state.alnum(10)}', ChangeSetType=kind)
        cs_id = self.CreateChangeSet(call)['Id']
        cs = self.engine.data['change_sets'][cs_id]
        self.engine.compute_change_set(cs)
        return cs

    # -- exports, imports, signals ------------------------------------------------------------------------

    def ListExports(self, call):
        exports = self.engine.exports(call.region)
        return {'Exports': [{'ExportingStackId': stack['StackId'], 'Name': name, 'Value': value}
                            for name, (value, stack) in sorted(exports.items())]}

    def ListImports(self, call):
        name = call.params['ExportName']
        importers = self.engine.importers(call.region, name)
        if not importers:
            raise _validation(f'Export {name} is not imported by any stack.')
        return {'Imports': importers}

    def SignalResource(self, call):
        p = call.params
        stack = self._stack(call, p['StackName'])
        if p['LogicalResourceId'] not in stack['Resources']:
            raise _validation(f"Resource {p['LogicalResourceId']} does not exist for stack {stack['StackName']}")
        problem = self.engine.signal(stack, p['LogicalResourceId'], p['UniqueId'], p['Status'])
        if problem:
            raise _validation(problem)
        return {}


def _zones(region):
    from .ec2 import zones
    return zones(region)
