"""The CloudFormation state machine: change sets, and stacks moving through their real states one
tick at a time.

A stack operation runs in phases; a phase is a set of resource jobs ordered by dependencies (new
resources after what they reference, deletions before what they reference). Every tick each
running job takes one step (emitting the events CloudFormation emits), then the jobs whose turn has
come start. A failed job cancels the running ones of a create/update phase and turns the operation
into its rollback.

Job kinds: create, update (in place), replace (new physical resource, old one deleted at cleanup),
sync (an existing resource of an update: becomes noop, update or replace when it starts), delete,
delete_old (the old physical resource of a replacement), revert (rollback of an update).
"""
import copy
import json
import re

from . import resources as rtypes
from .template import Evaluator, MissingExport, Template, TemplateError, contains_unknown
from ..services.base import Store
from ..services.ec2 import zones as region_zones

UPDATABLE = ('CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE',
             'IMPORT_ROLLBACK_COMPLETE', 'CREATE_FAILED', 'UPDATE_FAILED')
NO_CHANGES = ("The submitted information didn't contain changes. Submit different information to create "
              "a change set.")
TAGGABLE = {'AWS::EC2::Instance', 'AWS::EC2::Volume', 'AWS::EC2::SecurityGroup', 'AWS::EC2::LaunchTemplate',
            'AWS::IAM::Role', 'AWS::S3::Bucket', 'AWS::ElasticLoadBalancingV2::LoadBalancer',
            'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ElasticLoadBalancingV2::Listener',
            'AWS::AutoScaling::AutoScalingGroup'}
_DURATION = re.compile(r'PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?')


def parameter_list(template, values, resolved=None):
    """The stack's Parameters as DescribeStacks shows them."""
    out = []
    for name, decl in template.parameters.items():
        if name in values:
            entry = {'ParameterKey': name,
                     'ParameterValue': '****' if str(decl.get('NoEcho', '')).lower() == 'true' else values[name]}
            if resolved and name in resolved:
                entry['ResolvedValue'] = resolved[name]
            out.append(entry)
    return out


def _duration_seconds(text):
    match = _DURATION.fullmatch(text or '')
    if not match:
        return 12 * 3600
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _parse_signal(body):
    """(the signal's fields, a problem or None): the JSON object cfn-signal and the instance send,
    {"Status": "SUCCESS"|"FAILURE", "Reason": str, "UniqueId": str, "Data": str}."""
    try:
        signal = json.loads(body.decode('utf-8') if isinstance(body, bytes) else body)
    except (ValueError, UnicodeDecodeError):
        return {}, 'the signal is not JSON'
    if not isinstance(signal, dict):
        return {}, 'the signal is not a JSON object'
    for key in ('Status', 'Reason', 'UniqueId', 'Data'):
        if key not in signal:
            return signal, f'the signal has no {key}'
        if not isinstance(signal[key], str):
            return signal, f'the signal\'s {key} is not a string'
    if signal['Status'] not in ('SUCCESS', 'FAILURE'):
        return signal, f"the signal's Status is {signal['Status']!r}, not SUCCESS or FAILURE"
    if not signal['UniqueId']:
        return signal, "the signal's UniqueId is empty"
    extra = sorted(set(signal) - {'Status', 'Reason', 'UniqueId', 'Data'})
    if extra:
        return signal, f'the signal has unknown fields {", ".join(extra)}'
    return signal, None


class ResourceContext:
    """What resources.create needs to make up physical ids."""

    def __init__(self, store, stack):
        self.state = store.state
        self.region = stack['Region']
        self.account = stack['Account']
        self.stack_name = stack['StackName']
        self.stack_id = stack['StackId']

    def subnet(self, subnet_id):
        if not isinstance(subnet_id, str):
            return None
        return self.state.stores['ec2'].subnet(self.region, self.account, subnet_id)


class CfnStore(Store):
    """Stacks and change sets, and the engine that moves them."""

    def empty(self):
        # stacks and change sets by id; wait condition handles by their URL's signature
        return {'stacks': {}, 'change_sets': {}, 'wait_handles': {}}

    # -- wait condition handles -----------------------------------------------------------------

    def _handles(self):
        return self.data.setdefault('wait_handles', {})

    def add_wait_handle(self, url, path, signature, stack_id, logical_id, created):
        self._handles()[signature] = {'url': url, 'path': path, 'stack_id': stack_id, 'logical_id': logical_id,
                                      'created': created, 'signals': {}}

    def wait_handle(self, url):
        """The handle whose Ref is `url`, or None."""
        return next((h for h in self._handles().values() if h['url'] == url), None)

    def delete_wait_handle(self, url):
        for signature, handle in list(self._handles().items()):
            if handle['url'] == url:
                del self._handles()[signature]

    def put_wait_signal(self, path, signature, body):
        """The PUT of a signal to a handle's URL: (HTTP status, S3 error code or None, message).
        S3 takes any body; CloudFormation reads it when the wait condition checks its signals, so
        a malformed signal is kept and fails the wait condition, as a FAILURE would."""
        handle = self._handles().get(signature)
        from urllib.parse import unquote
        if handle is None or unquote(handle['path']) != unquote(path):
            return 403, 'SignatureDoesNotMatch', ('The request signature we calculated does not match the '
                                                  'signature you provided.')
        import datetime
        expires = handle['created'] + datetime.timedelta(seconds=rtypes.WAIT_HANDLE_EXPIRES_SECONDS)
        if self.state.clock.now() > expires:
            return 403, 'AccessDenied', 'Request has expired'
        signal, problem = _parse_signal(body)
        unique_id = signal.get('UniqueId') if isinstance(signal.get('UniqueId'), str) and signal.get('UniqueId') \
            else f'invalid-{len(handle["signals"]) + 1}'
        handle['signals'][unique_id] = dict(signal, problem=problem, received=self.state.clock.now())
        return 200, None, None

    # -- lookups -------------------------------------------------------------------------------

    def stacks(self, region):
        return [s for s in self.data['stacks'].values() if s['Region'] == region]

    def find_stack(self, region, name_or_id, include_deleted=False):
        """A live stack by name, or any stack by id."""
        for stack in self.stacks(region):
            if stack['StackId'] == name_or_id:
                return stack
            if stack['StackName'] == name_or_id and (include_deleted or stack['StackStatus'] != 'DELETE_COMPLETE'):
                return stack
        return None

    def exports(self, region, exclude_stack=None):
        out = {}
        for stack in self.stacks(region):
            if stack['StackStatus'] != 'DELETE_COMPLETE' and stack['StackId'] != exclude_stack:
                for name, value in stack['Exports'].items():
                    out[name] = (value, stack)
        return out

    def importers(self, region, export_name):
        return sorted(s['StackName'] for s in self.stacks(region)
                      if s['StackStatus'] != 'DELETE_COMPLETE' and export_name in s['Imports'])

    # -- views -----------------------------------------------------------------------------------

    def view(self, bodies=False):
        stacks = []
        for s in self.data['stacks'].values():
            stacks.append({'StackName': s['StackName'], 'StackId': s['StackId'], 'Region': s['Region'],
                           'StackStatus': s['StackStatus'], 'StackStatusReason': s['StackStatusReason'],
                           'Parameters': dict(s['ParamValues']),
                           'Outputs': {o['OutputKey']: o['OutputValue'] for o in s['Outputs']},
                           'Exports': dict(s['Exports']), 'Imports': sorted(s['Imports']),
                           'Resources': {lid: {'Type': r['ResourceType'], 'PhysicalResourceId': r['PhysicalResourceId'],
                                               'Status': r['ResourceStatus']}
                                         for lid, r in s['Resources'].items()}})
        change_sets = [{'ChangeSetName': c['ChangeSetName'], 'StackName': c['StackName'], 'Status': c['Status'],
                        'ExecutionStatus': c['ExecutionStatus'], 'StatusReason': c['StatusReason']}
                       for c in self.data['change_sets'].values()]
        return {'stacks': stacks, 'change_sets': change_sets}

    def seed(self, data):
        for spec in data.get('stacks', []):
            self.seed_stack(spec)

    # -- records -----------------------------------------------------------------------------------

    def new_stack(self, region, account, name, now):
        stack_id = f'arn:aws:cloudformation:{region}:{account}:stack/{name}/{self.state.uuid()}'
        stack = {'StackId': stack_id, 'StackName': name, 'Region': region, 'Account': account,
                 'StackStatus': 'REVIEW_IN_PROGRESS', 'StackStatusReason': None, 'CreationTime': now,
                 'LastUpdatedTime': None, 'DeletionTime': None, 'TemplateBody': None, 'ParamValues': {},
                 'Resolved': {}, 'Tags': [], 'Capabilities': [], 'Description': None, 'DisableRollback': False,
                 'Outputs': [], 'Exports': {}, 'Imports': set(), 'Resources': {}, 'Events': [],
                 'ChangeSetId': None, 'Op': None, 'LastEventTime': None}
        self.data['stacks'][stack_id] = stack
        return stack

    def event(self, stack, logical_id, resource_type, physical_id, status, reason=None, props=None, token=None):
        now = self.state.clock.now()
        last = stack.get('LastEventTime')
        if last is not None and now <= last:
            import datetime
            now = last + datetime.timedelta(milliseconds=1)
        stack['LastEventTime'] = now
        is_stack = resource_type == 'AWS::CloudFormation::Stack'
        event_id = self.state.uuid() if is_stack else \
            f"{logical_id}-{status}-{now.strftime('%Y-%m-%dT%H:%M:%S.')}{now.microsecond // 1000:03d}Z"
        stack['Events'].append({
            'StackId': stack['StackId'], 'EventId': event_id, 'StackName': stack['StackName'],
            'LogicalResourceId': logical_id, 'PhysicalResourceId': physical_id or '', 'ResourceType': resource_type,
            'Timestamp': now, 'ResourceStatus': status, 'ResourceStatusReason': reason,
            'ResourceProperties': json.dumps(props, separators=(',', ':')) if props is not None else None,
            'ClientRequestToken': token or (stack['Op'] or {}).get('token')})

    def stack_status(self, stack, status, reason=None):
        stack['StackStatus'] = status
        stack['StackStatusReason'] = reason
        self.event(stack, stack['StackName'], 'AWS::CloudFormation::Stack', stack['StackId'], status, reason)

    def resource_status(self, stack, logical_id, status, reason=None, props=None, physical=None):
        res = stack['Resources'][logical_id]
        res['ResourceStatus'] = status
        res['ResourceStatusReason'] = reason
        res['Timestamp'] = self.state.clock.now()
        self.event(stack, logical_id, res['ResourceType'], physical or res['PhysicalResourceId'], status,
                   reason, props)

    # -- evaluation --------------------------------------------------------------------------------

    def pseudo(self, stack):
        return {'AWS::AccountId': stack['Account'], 'AWS::Region': stack['Region'],
                'AWS::StackName': stack['StackName'], 'AWS::StackId': stack['StackId'],
                'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::NotificationARNs': []}

    def evaluator(self, stack, template, values, resolved, resources):
        params = {}
        for name, decl in template.parameters.items():
            if name not in values:
                continue
            value = resolved.get(name, values[name])
            kind = decl.get('Type', 'String')
            if kind.startswith('List<') or kind == 'CommaDelimitedList' or 'List<' in kind:
                value = [v.strip() for v in value.split(',')] if value else []
            params[name] = value
        exports = {name: value for name, (value, _) in self.exports(stack['Region'], stack['StackId']).items()}
        zones = [z['ZoneName'] for z in region_zones(stack['Region'])]
        return Evaluator(template, params, self.pseudo(stack), resources, exports, zones)

    @staticmethod
    def live_resources(stack):
        return {lid: {'ref': r['PhysicalResourceId'], 'attrs': r.get('Attrs', {})}
                for lid, r in stack['Resources'].items()
                if r['PhysicalResourceId'] and r['ResourceStatus'] not in ('DELETE_COMPLETE', 'DELETE_SKIPPED')}

    # -- change sets ------------------------------------------------------------------------------------

    def tick(self):
        """One step of every pending change set and running stack operation; True if any."""
        busy = False
        for cs in list(self.data['change_sets'].values()):
            if cs['Status'] in ('CREATE_PENDING', 'CREATE_IN_PROGRESS'):
                busy = True
                cs['Ticks'] += 1
                if cs['Ticks'] >= self.state.settings.get('change_set_ticks', 2):
                    self.compute_change_set(cs)
                elif cs['Status'] == 'CREATE_PENDING':
                    cs['Status'] = 'CREATE_IN_PROGRESS'
        for stack in list(self.data['stacks'].values()):
            if stack['Op'] is not None:
                busy = True
                self.advance(stack)
        return busy

    def compute_change_set(self, cs):
        stack = self.data['stacks'][cs['StackId']]
        try:
            changes = self.changes(stack, cs)
        except MissingExport as e:
            return self._change_set_failed(cs, f'No export named {e.name} found.')
        except TemplateError as e:
            return self._change_set_failed(cs, str(e))
        if not changes and cs['ChangeSetType'] == 'UPDATE' and cs['Tags'] == stack['Tags']:
            return self._change_set_failed(cs, NO_CHANGES)
        taken = self.exports(stack['Region'], stack['StackId'])
        for name in cs['NewExports']:
            if name in taken:
                return self._change_set_failed(cs, f'Export with name {name} is already exported by stack '
                                                   f'{taken[name][1]["StackName"]}')
        cs['Changes'] = changes
        cs['Status'] = 'CREATE_COMPLETE'
        cs['ExecutionStatus'] = 'AVAILABLE'

    @staticmethod
    def _change_set_failed(cs, reason):
        cs['Status'] = 'FAILED'
        cs['StatusReason'] = reason
        cs['ExecutionStatus'] = 'UNAVAILABLE'

    def changes(self, stack, cs):
        """The ResourceChange list of a change set (raises MissingExport / TemplateError)."""
        template = Template(cs['TemplateBody'])
        existing = {lid: r for lid, r in stack['Resources'].items()
                    if r['ResourceStatus'] not in ('DELETE_COMPLETE', 'DELETE_SKIPPED')} \
            if cs['ChangeSetType'] == 'UPDATE' else {}
        known = {lid: {'ref': r['PhysicalResourceId'], 'attrs': r.get('Attrs', {})} for lid, r in existing.items()}
        ev = self.evaluator(stack, template, cs['ParamValues'], cs['Resolved'], known)
        old_template = Template(stack['TemplateBody']) if existing else None
        old_values = stack['ParamValues']
        changed_params = {n for n in set(old_values) | set(cs['ParamValues'])
                          if old_values.get(n) != cs['ParamValues'].get(n)}
        tags_changed = cs['ChangeSetType'] == 'UPDATE' and cs['Tags'] != stack['Tags']
        changes = []
        active = [lid for lid in template.order() if ev.active(template.resources[lid])]
        for lid in active:
            body = template.resources[lid]
            props = ev.resolve(body.get('Properties', {}))
            if lid not in existing:
                known.pop(lid, None)
                changes.append({'Action': 'Add', 'LogicalResourceId': lid, 'ResourceType': body['Type'],
                                'Scope': [], 'Details': []})
                continue
            old = existing[lid]
            details = []
            old_body = old_template.resources.get(lid, {})
            for prop in sorted(set(props) | set(old['Props'])):
                if props.get(prop) == old['Props'].get(prop):
                    continue
                raw_same = (body.get('Properties') or {}).get(prop) == (old_body.get('Properties') or {}).get(prop)
                source, entity = 'DirectModification', None
                if raw_same:
                    refs, getatts = template._references((body.get('Properties') or {}).get(prop))
                    params = sorted(r for r in refs if r in changed_params)
                    if params:
                        source, entity = 'ParameterReference', params[0]
                    elif getatts:
                        source, entity = 'ResourceAttribute', '.'.join(sorted(getatts)[0])
                    else:
                        source, entity = 'ResourceReference', next(iter(sorted(refs)), None)
                attribute = 'Tags' if prop == 'Tags' else 'Properties'
                details.append({'Target': {'Attribute': attribute, 'Name': prop if attribute == 'Properties' else None,
                                           'RequiresRecreation': rtypes.requires_recreation(body['Type'], prop)},
                                'Evaluation': 'Dynamic' if contains_unknown(props.get(prop)) else 'Static',
                                'ChangeSource': source, 'CausingEntity': entity})
            if body.get('Metadata') != old_body.get('Metadata'):
                details.append({'Target': {'Attribute': 'Metadata', 'RequiresRecreation': 'Never'},
                                'Evaluation': 'Static', 'ChangeSource': 'DirectModification'})
            if not details and tags_changed and body['Type'] in TAGGABLE:
                details.append({'Target': {'Attribute': 'Tags', 'RequiresRecreation': 'Never'},
                                'Evaluation': 'Static', 'ChangeSource': 'DirectModification'})
            if not details and body['Type'] == old['ResourceType']:
                continue
            replacement = 'False'
            for d in details:
                need = d['Target']['RequiresRecreation']
                if need == 'Always' and d['Evaluation'] == 'Static':
                    replacement = 'True'
                elif need in ('Always', 'Conditionally') and replacement != 'True':
                    replacement = 'Conditional'
            if body['Type'] != old['ResourceType']:
                replacement = 'True'
            if replacement != 'False':
                known.pop(lid, None)
            changes.append({'Action': 'Modify', 'LogicalResourceId': lid, 'PhysicalResourceId': old['PhysicalResourceId'],
                            'ResourceType': body['Type'], 'Replacement': replacement,
                            'Scope': sorted({d['Target']['Attribute'] for d in details}), 'Details': details})
        for lid, old in existing.items():
            if lid not in active:
                changes.append({'Action': 'Remove', 'LogicalResourceId': lid,
                                'PhysicalResourceId': old['PhysicalResourceId'], 'ResourceType': old['ResourceType'],
                                'Scope': [], 'Details': []})
        cs['NewExports'] = []
        for name, output in template.outputs.items():
            if ev.active(output):
                ev.resolve(output['Value'])
                if 'Export' in output:
                    cs['NewExports'].append(ev.resolve(output['Export'].get('Name')))
        return changes

    # -- executing ------------------------------------------------------------------------------------

    def execute(self, cs, disable_rollback=False, token=None):
        stack = self.data['stacks'][cs['StackId']]
        template = Template(cs['TemplateBody'])
        for other in self.data['change_sets'].values():
            if other['StackId'] == stack['StackId'] and other is not cs:
                other['ExecutionStatus'] = 'OBSOLETE'
        cs['ExecutionStatus'] = 'EXECUTE_IN_PROGRESS'
        stack['ChangeSetId'] = cs['ChangeSetId']
        op = {'kind': 'create' if cs['ChangeSetType'] == 'CREATE' else 'update', 'change_set': cs['ChangeSetId'],
              'token': token, 'disable_rollback': disable_rollback, 'imported': set(),
              'old': {k: copy.deepcopy(stack[k]) for k in ('TemplateBody', 'ParamValues', 'Resolved', 'Tags',
                                                           'Outputs', 'Exports', 'Imports', 'Resources',
                                                           'Description', 'Capabilities')}}
        stack['Op'] = op
        stack.update(TemplateBody=cs['TemplateBody'], ParamValues=dict(cs['ParamValues']),
                     Resolved=dict(cs['Resolved']), Tags=cs['Tags'], Capabilities=cs['Capabilities'],
                     Description=template.description, DisableRollback=disable_rollback)
        ev = self.evaluator(stack, template, stack['ParamValues'], stack['Resolved'], {})
        active = [lid for lid in template.order() if ev.active(template.resources[lid])]
        deps = {lid: {d for d in template.dependencies(lid) if d in active} for lid in active}
        if op['kind'] == 'create':
            self.stack_status(stack, 'CREATE_IN_PROGRESS', 'User Initiated')
            self._phase(stack, 'apply', {lid: self._job('create') for lid in active}, deps)
        else:
            stack['LastUpdatedTime'] = self.state.clock.now()
            self.stack_status(stack, 'UPDATE_IN_PROGRESS', 'User Initiated')
            existing = op['old']['Resources']
            jobs = {lid: self._job('sync' if lid in existing and existing[lid]['ResourceStatus']
                                   not in ('DELETE_COMPLETE', 'DELETE_SKIPPED') else 'create') for lid in active}
            op['removed'] = [lid for lid, r in existing.items() if lid not in active
                             and r['ResourceStatus'] not in ('DELETE_COMPLETE', 'DELETE_SKIPPED')]
            self._phase(stack, 'apply', jobs, deps)

    def delete_stack(self, stack, retain=(), token=None):
        stack['Op'] = {'kind': 'delete', 'token': token, 'retain': list(retain), 'imported': set()}
        self.stack_status(stack, 'DELETE_IN_PROGRESS', 'User Initiated')
        stack['Op']['phase'] = 'check_exports'

    @staticmethod
    def _job(kind):
        return {'kind': kind, 'state': 'pending', 'step': 0, 'fail': None, 'waited': 0, 'signals': [],
                'failure_signal': None}

    def _phase(self, stack, name, jobs, deps):
        op = stack['Op']
        op['phase'] = name
        op['jobs'] = jobs
        op['deps'] = {k: sorted(v) for k, v in deps.items()}

    def _delete_deps(self, stack, logical_ids, template_body):
        """For deletion: each resource waits for the resources that depend on it."""
        deps = {lid: set() for lid in logical_ids}
        if template_body:
            try:
                template = Template(template_body)
            except TemplateError:
                return deps
            for lid in logical_ids:
                if lid in template.resources:
                    for dep in template.dependencies(lid):
                        if dep in deps:
                            deps[dep].add(lid)
        return deps

    # -- the tick of one stack ----------------------------------------------------------------------------

    def advance(self, stack):
        op = stack['Op']
        if op['phase'] == 'check_exports':
            return self._check_exports_before_delete(stack)
        jobs = op['jobs']
        for lid, job in jobs.items():
            if job['state'] == 'running':
                self._step(stack, lid, job)
        failed = [lid for lid, job in jobs.items() if job['state'] == 'failed']
        forward = op['phase'] == 'apply'
        if failed and forward:
            for lid, job in jobs.items():
                if job['state'] == 'running':
                    self._cancel(stack, lid, job)
            return self._phase_failed(stack, failed)
        for lid, job in jobs.items():
            if job['state'] == 'pending' and all(jobs[d]['state'] == 'done' for d in op['deps'].get(lid, ()) if d in jobs):
                self._start(stack, lid, job)
        if any(job['state'] == 'running' for job in jobs.values()):
            return
        failed = [lid for lid, job in jobs.items() if job['state'] == 'failed']
        if failed:
            return self._phase_failed(stack, failed)
        if all(job['state'] == 'done' for job in jobs.values()):
            self._phase_done(stack)

    def _check_exports_before_delete(self, stack):
        for name in sorted(stack['Exports']):
            users = [u for u in self.importers(stack['Region'], name) if u != stack['StackName']]
            if users:
                stack['Op'] = None
                return self.stack_status(stack, 'DELETE_FAILED',
                                         f'Export {name} cannot be deleted as it is in use by {users[0]}')
        retain = set(stack['Op']['retain'])
        live = [lid for lid, r in stack['Resources'].items()
                if r['ResourceStatus'] not in ('DELETE_COMPLETE', 'DELETE_SKIPPED')]
        jobs = {lid: dict(self._job('delete'), retain=lid in retain) for lid in live}
        self._phase(stack, 'delete', jobs, self._delete_deps(stack, live, stack['TemplateBody']))

    def _start(self, stack, lid, job):
        op = stack['Op']
        job['state'] = 'running'
        job['step'] = 0
        kind = job['kind']
        if kind in ('create', 'sync', 'replace', 'update'):
            try:
                props, meta = self._resolve(stack, lid)
            except (MissingExport, TemplateError) as e:
                reason = f'No export named {e.name} found.' if isinstance(e, MissingExport) else str(e)
                if lid not in stack['Resources']:
                    self._new_record(stack, lid)
                job['state'] = 'failed'
                self.resource_status(stack, lid, 'CREATE_FAILED' if kind == 'create' else 'UPDATE_FAILED', reason)
                return
            job['props'] = props
            job['meta'] = meta
        if kind == 'sync':
            old = stack['Resources'][lid]
            changed = [p for p in set(props) | set(old['Props']) if props.get(p) != old['Props'].get(p)]
            tags_changed = stack['Tags'] != op['old']['Tags'] and old['ResourceType'] in TAGGABLE
            if not changed and meta == old.get('Meta') and not tags_changed:
                job['state'] = 'done'
                return
            replace = any(rtypes.requires_recreation(old['ResourceType'], p) == 'Always' for p in changed) \
                or meta['Type'] != old['ResourceType']
            job['kind'] = kind = 'replace' if replace else 'update'
        if kind == 'create':
            record = self._new_record(stack, lid)
            record.update(Props=job['props'], Meta=job['meta'])
            self.resource_status(stack, lid, 'CREATE_IN_PROGRESS', None, job['props'])
        elif kind == 'update':
            self.resource_status(stack, lid, 'UPDATE_IN_PROGRESS', None, job['props'])
        elif kind == 'replace':
            self.resource_status(stack, lid, 'UPDATE_IN_PROGRESS', 'Requested update requires the creation of a new '
                                 'physical resource; hence creating one.', job['props'])
        elif kind in ('delete', 'delete_old'):
            record = stack['Resources'][lid]
            policy = job.get('policy') or record.get('Meta', {}).get('DeletionPolicy', 'Delete')
            if job.get('retain') or policy == 'Retain':
                job['state'] = 'done'
                self.event(stack, lid, record['ResourceType'], job.get('physical') or record['PhysicalResourceId'],
                           'DELETE_SKIPPED')
                if kind == 'delete':
                    record['ResourceStatus'] = 'DELETE_SKIPPED'
                return
            if kind == 'delete':
                self.resource_status(stack, lid, 'DELETE_IN_PROGRESS')
            else:
                self.event(stack, lid, record['ResourceType'], job['physical'], 'DELETE_IN_PROGRESS')
        elif kind == 'revert':
            self.resource_status(stack, lid, 'UPDATE_IN_PROGRESS')

    def _new_record(self, stack, lid):
        body = Template(stack['TemplateBody']).resources[lid]
        record = {'LogicalResourceId': lid, 'ResourceType': body['Type'], 'PhysicalResourceId': None,
                  'ResourceStatus': None, 'ResourceStatusReason': None, 'Timestamp': self.state.clock.now(),
                  'Props': {}, 'Attrs': {}, 'Meta': {}, 'Description': body.get('Description')}
        stack['Resources'][lid] = record
        return record

    def _resolve(self, stack, lid):
        template = Template(stack['TemplateBody'])
        body = template.resources[lid]
        ev = self.evaluator(stack, template, stack['ParamValues'], stack['Resolved'], self.live_resources(stack))
        props = ev.resolve(body.get('Properties', {}))
        stack['Op']['imported'] |= ev.imported
        meta = {'Type': body['Type'], 'DeletionPolicy': body.get('DeletionPolicy', 'Delete'),
                'UpdateReplacePolicy': body.get('UpdateReplacePolicy', 'Delete'),
                'CreationPolicy': body.get('CreationPolicy'), 'Metadata': body.get('Metadata')}
        return props, meta

    def _signals_needed(self, job):
        meta = job.get('meta') or {}
        if meta.get('Type') == rtypes.WAIT_CONDITION and not meta.get('CreationPolicy'):
            props = job.get('props') or {}
            return int(props.get('Count', 1)), int(props.get('Timeout', 43200))
        policy = meta.get('CreationPolicy') or {}
        signal = policy.get('ResourceSignal')
        if not signal:
            return 0, None
        return int(signal.get('Count', 1)), _duration_seconds(signal.get('Timeout', 'PT12H'))

    def _step(self, stack, lid, job):
        kind = job['kind']
        record = stack['Resources'][lid]
        prefix = 'CREATE' if kind == 'create' else 'UPDATE'
        ctx = ResourceContext(self, stack)
        if kind in ('create', 'replace') and job['step'] == 0:
            handler_failure = None
            try:
                physical, attrs = rtypes.create(ctx, record['ResourceType'] if kind == 'create'
                                                else job['meta']['Type'], lid, job['props'])
            except rtypes.HandlerError as e:
                physical, attrs, handler_failure = None, {}, str(e)
            if kind == 'replace':
                job['old'] = {'PhysicalResourceId': record['PhysicalResourceId'], 'Attrs': record['Attrs'],
                              'Props': record['Props'], 'Meta': record.get('Meta', {})}
                record['ResourceType'] = job['meta']['Type']
            record.update(PhysicalResourceId=physical, Attrs=attrs, Props=job['props'], Meta=job['meta'])
            self.resource_status(stack, lid, f'{prefix}_IN_PROGRESS', 'Resource creation Initiated', job['props'])
            operation = 'create' if kind == 'create' else 'update'
            job['fail'] = handler_failure or self.state.take_resource_failure(stack['StackName'], lid, operation)
            job['step'] = 1
            return
        if kind in ('create', 'replace') and job['step'] == 1:
            if job['fail']:
                job['state'] = 'failed'
                return self.resource_status(stack, lid, f'{prefix}_FAILED', job['fail'])
            count, timeout = self._signals_needed(job)
            if count:
                import datetime
                job['step'] = 2
                job['deadline'] = self.state.clock.now() + datetime.timedelta(seconds=timeout)
                return
            job['state'] = 'done'
            return self.resource_status(stack, lid, f'{prefix}_COMPLETE')
        if kind in ('create', 'replace') and job['step'] == 2:
            return self._wait_for_signals(stack, lid, job, prefix)
        if kind == 'update':
            reason = self.state.take_resource_failure(stack['StackName'], lid, 'update')
            if reason:
                job['state'] = 'failed'
                return self.resource_status(stack, lid, 'UPDATE_FAILED', reason)
            record['Attrs'] = rtypes.update_attributes(ctx, record['ResourceType'], record['PhysicalResourceId'],
                                                       record['Attrs'], record['Props'], job['props'])
            job['old'] = {'Props': record['Props'], 'Attrs': record['Attrs'], 'Meta': record.get('Meta', {})}
            record.update(Props=job['props'], Meta=job['meta'])
            job['state'] = 'done'
            return self.resource_status(stack, lid, 'UPDATE_COMPLETE')
        if kind in ('delete', 'delete_old'):
            physical = job.get('physical') or record['PhysicalResourceId']
            reason = self.state.take_resource_failure(stack['StackName'], lid, 'delete')
            if not reason and physical:
                reason = rtypes.delete(ctx, record['ResourceType'], physical)
            if reason:
                job['state'] = 'failed'
                if kind == 'delete':
                    return self.resource_status(stack, lid, 'DELETE_FAILED', reason)
                return self.event(stack, lid, record['ResourceType'], physical, 'DELETE_FAILED', reason)
            job['state'] = 'done'
            if kind == 'delete':
                return self.resource_status(stack, lid, 'DELETE_COMPLETE')
            return self.event(stack, lid, record['ResourceType'], physical, 'DELETE_COMPLETE')
        if kind == 'revert':
            record.update(job['restore'])
            job['state'] = 'done'
            return self.resource_status(stack, lid, 'UPDATE_COMPLETE')

    def _wait_for_handle(self, stack, lid, job, prefix):
        """A wait condition: done with Count SUCCESS signals on its handle (sent before it started
        too), failed by a FAILURE or malformed one, or by its timeout."""
        count, _ = self._signals_needed(job)
        record = stack['Resources'][lid]
        handle = self.wait_handle(job['props'].get('Handle')) or {'signals': {}}
        signals = handle['signals']
        for unique_id, signal in signals.items():
            if signal.get('problem'):
                job['state'] = 'failed'
                return self.resource_status(stack, lid, f'{prefix}_FAILED',
                                            f'WaitCondition received an invalid signal: {signal["problem"]}')
            if signal['Status'] == 'FAILURE':
                job['state'] = 'failed'
                return self.resource_status(stack, lid, f'{prefix}_FAILED', 'WaitCondition received failed '
                                            f"message: '{signal['Reason']}' for uniqueId: {unique_id}")
        if len(signals) >= count:
            record['Attrs'] = dict(record['Attrs'], Data=json.dumps(
                {u: s['Data'] for u, s in signals.items()}, separators=(',', ':')))
            job['state'] = 'done'
            return self.resource_status(stack, lid, f'{prefix}_COMPLETE')
        if self.state.clock.now() >= job['deadline']:
            job['state'] = 'failed'
            return self.resource_status(stack, lid, f'{prefix}_FAILED', f'WaitCondition timed out. Received '
                                        f'{len(signals)} conditions when expecting {count}')
        job['waited'] += 1
        auto = self.state.settings.get('auto_signal_ticks', 0)
        if auto and job['waited'] >= auto:
            now = self.state.clock.now()
            while len(signals) < count:
                unique = f'auto-{len(signals) + 1}'
                signals[unique] = {'Status': 'SUCCESS', 'Reason': 'auto signal of the fake', 'UniqueId': unique,
                                   'Data': unique, 'problem': None, 'received': now}

    def _wait_for_signals(self, stack, lid, job, prefix):
        if job['meta'].get('Type') == rtypes.WAIT_CONDITION and not job['meta'].get('CreationPolicy'):
            return self._wait_for_handle(stack, lid, job, prefix)
        count, _ = self._signals_needed(job)
        record = stack['Resources'][lid]
        if job['failure_signal']:
            job['state'] = 'failed'
            return self.resource_status(stack, lid, f'{prefix}_FAILED',
                                        f"Received FAILURE signal with UniqueId {job['failure_signal']}")
        if len(job['signals']) >= count:
            job['state'] = 'done'
            return self.resource_status(stack, lid, f'{prefix}_COMPLETE')
        if self.state.clock.now() >= job['deadline']:
            job['state'] = 'failed'
            return self.resource_status(stack, lid, f'{prefix}_FAILED', f'Failed to receive {count} resource '
                                        'signal(s) within the specified duration')
        job['waited'] += 1
        auto = self.state.settings.get('auto_signal_ticks', 0)
        if auto and job['waited'] >= auto:
            while len(job['signals']) < count:
                unique = record['PhysicalResourceId']
                if job['signals']:
                    unique = f"{unique}-{len(job['signals'])}"
                self.signal(stack, lid, unique, 'SUCCESS')

    def signal(self, stack, lid, unique_id, status):
        """SignalResource: None when the signal was taken, else why it was refused."""
        job = ((stack['Op'] or {}).get('jobs') or {}).get(lid)
        meta = (job or {}).get('meta') or {}
        handle_waiter = meta.get('Type') == rtypes.WAIT_CONDITION and not meta.get('CreationPolicy')
        if job is None or job['kind'] not in ('create', 'replace') or job['state'] != 'running' \
                or not self._signals_needed(job)[0] or handle_waiter:
            status_now = stack['Resources'].get(lid, {}).get('ResourceStatus')
            return f'Resource {lid} is in {status_now} state and can not be signaled'
        prefix = 'CREATE' if job['kind'] == 'create' else 'UPDATE'
        if status == 'FAILURE':
            job['failure_signal'] = unique_id
        elif unique_id not in job['signals']:
            job['signals'].append(unique_id)
            self.resource_status(stack, lid, f'{prefix}_IN_PROGRESS', f'Received SUCCESS signal with UniqueId {unique_id}')
        return None

    def _cancel(self, stack, lid, job):
        job['state'] = 'cancelled'
        if job['kind'] == 'create':
            self.resource_status(stack, lid, 'CREATE_FAILED', 'Resource creation cancelled')
        elif job['kind'] in ('update', 'replace'):
            self.resource_status(stack, lid, 'UPDATE_FAILED', 'Resource update cancelled')

    # -- phase transitions ---------------------------------------------------------------------------------

    def _phase_done(self, stack):
        op = stack['Op']
        kind, phase = op['kind'], op['phase']
        if phase == 'apply':
            error = self._finish_outputs(stack)
            if error:
                return self._phase_failed(stack, [], error)
            if kind == 'create':
                return self._finish(stack, 'CREATE_COMPLETE', True)
            self.stack_status(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')
            jobs = {}
            for lid in op.get('removed', []):
                jobs[lid] = self._job('delete')
            for lid, job in op['jobs'].items():
                if job['kind'] == 'replace' and job.get('old'):
                    jobs[lid] = dict(self._job('delete_old'), physical=job['old']['PhysicalResourceId'],
                                     policy=job['old']['Meta'].get('UpdateReplacePolicy', 'Delete'))
            removed = [lid for lid in jobs if jobs[lid]['kind'] == 'delete']
            deps = self._delete_deps(stack, removed, op['old']['TemplateBody'])
            return self._phase(stack, 'cleanup', jobs, deps)
        if phase == 'cleanup':
            for lid, job in op['jobs'].items():
                if job['kind'] == 'delete':
                    stack['Resources'].pop(lid, None)
            return self._finish(stack, 'UPDATE_COMPLETE', True)
        if phase == 'rollback_delete':
            return self._finish(stack, 'ROLLBACK_COMPLETE', False)
        if phase == 'revert':
            self.stack_status(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS')
            return self._phase(stack, 'rollback_cleanup', op['rollback_cleanup'], {})
        if phase == 'rollback_cleanup':
            for lid, job in op['jobs'].items():
                if job['kind'] == 'delete':
                    stack['Resources'].pop(lid, None)
            return self._finish(stack, 'UPDATE_ROLLBACK_COMPLETE', False)
        if phase == 'delete':
            stack['DeletionTime'] = self.state.clock.now()
            stack['Exports'] = {}
            stack['Imports'] = set()
            for cs_id in [c for c, cs in self.data['change_sets'].items() if cs['StackId'] == stack['StackId']]:
                del self.data['change_sets'][cs_id]
            stack['Op'] = None
            return self.stack_status(stack, 'DELETE_COMPLETE')

    def _finish(self, stack, status, succeeded):
        op = stack['Op']
        cs = self.data['change_sets'].get(op.get('change_set'))
        if cs is not None:
            cs['ExecutionStatus'] = 'EXECUTE_COMPLETE' if succeeded else 'EXECUTE_FAILED'
        stack['Op'] = None
        reason = stack['StackStatusReason'] if status in ('ROLLBACK_COMPLETE',) else None
        self.stack_status(stack, status)
        if reason and status == 'ROLLBACK_COMPLETE':
            stack['StackStatusReason'] = reason

    def _finish_outputs(self, stack):
        """Outputs, exports and imports of a finished apply phase; an error message if an export
        other stacks import would change or go away."""
        op = stack['Op']
        template = Template(stack['TemplateBody'])
        ev = self.evaluator(stack, template, stack['ParamValues'], stack['Resolved'], self.live_resources(stack))
        outputs, exports = [], {}
        try:
            for key, out in template.outputs.items():
                if not ev.active(out):
                    continue
                value = ev.resolve(out['Value'])
                entry = {'OutputKey': key, 'OutputValue': ','.join(value) if isinstance(value, list) else str(value),
                         'Description': out.get('Description')}
                if 'Export' in out:
                    entry['ExportName'] = ev.resolve(out['Export'].get('Name'))
                    exports[entry['ExportName']] = entry['OutputValue']
                outputs.append(entry)
        except (MissingExport, TemplateError) as e:
            return f'No export named {e.name} found.' if isinstance(e, MissingExport) else str(e)
        for name, value in stack['Exports'].items():
            users = [u for u in self.importers(stack['Region'], name) if u != stack['StackName']]
            if users and name not in exports:
                return f'Cannot delete export {name} as it is in use by {users[0]}'
            if users and exports[name] != value:
                return f'Cannot update export {name} as it is in use by {users[0]}'
        stack['Outputs'] = outputs
        stack['Exports'] = exports
        stack['Imports'] = set(op['imported']) | ev.imported
        return None

    def _phase_failed(self, stack, failed, reason=None):
        op = stack['Op']
        kind, phase = op['kind'], op['phase']
        jobs = op['jobs']
        if phase == 'apply':
            created = [lid for lid in failed if jobs[lid]['kind'] == 'create']
            if reason is None:
                verb = 'create' if kind == 'create' or created == failed else 'update'
                reason = f'The following resource(s) failed to {verb}: [{", ".join(sorted(failed))}]. '
            if kind == 'create':
                if op['disable_rollback']:
                    return self._finish(stack, 'CREATE_FAILED', False) or self._set_reason(stack, reason)
                self.stack_status(stack, 'ROLLBACK_IN_PROGRESS', reason + 'Rollback requested by user.')
                touched = [lid for lid in stack['Resources']
                           if stack['Resources'][lid]['ResourceStatus'] not in ('DELETE_COMPLETE', 'DELETE_SKIPPED')]
                deps = self._delete_deps(stack, touched, stack['TemplateBody'])
                return self._phase(stack, 'rollback_delete', {lid: self._job('delete') for lid in touched}, deps)
            if op['disable_rollback']:
                return self._finish(stack, 'UPDATE_FAILED', False) or self._set_reason(stack, reason)
            return self._rollback_update(stack, reason)
        if phase == 'rollback_delete':
            return self._finish(stack, 'ROLLBACK_FAILED', False)
        if phase in ('cleanup',):
            return self._finish(stack, 'UPDATE_COMPLETE', True)
        if phase in ('revert', 'rollback_cleanup'):
            return self._finish(stack, 'UPDATE_ROLLBACK_FAILED', False)
        if phase == 'delete':
            stack['Op'] = None
            return self.stack_status(stack, 'DELETE_FAILED',
                                     f'The following resource(s) failed to delete: [{", ".join(sorted(failed))}]. ')

    @staticmethod
    def _set_reason(stack, reason):
        stack['StackStatusReason'] = reason
        stack['Events'][-1]['ResourceStatusReason'] = reason

    def _rollback_update(self, stack, reason):
        op = stack['Op']
        old = op['old']
        self.stack_status(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason)
        revert, cleanup = {}, {}
        for lid, job in op['jobs'].items():
            if job['kind'] in ('update', 'replace') and job['state'] in ('done', 'failed', 'cancelled'):
                restore = {k: copy.deepcopy(v) for k, v in old['Resources'][lid].items()
                           if k in ('PhysicalResourceId', 'Props', 'Attrs', 'Meta', 'ResourceType')}
                revert[lid] = dict(self._job('revert'), restore=restore)
                new_physical = stack['Resources'][lid]['PhysicalResourceId']
                if job['kind'] == 'replace' and job.get('old') and new_physical != restore['PhysicalResourceId']:
                    cleanup[lid] = dict(self._job('delete_old'), physical=new_physical, policy='Delete')
            elif job['kind'] == 'create' and job['state'] != 'pending':
                cleanup[lid] = self._job('delete')
        stack.update(TemplateBody=old['TemplateBody'], ParamValues=old['ParamValues'], Resolved=old['Resolved'],
                     Tags=old['Tags'], Description=old['Description'], Capabilities=old['Capabilities'])
        op['rollback_cleanup'] = cleanup
        self._phase(stack, 'revert', revert, {})

    # -- seeding ---------------------------------------------------------------------------------------------

    def seed_stack(self, spec):
        """A stack put straight into a settled state (default CREATE_COMPLETE) by /__fake/state."""
        region = spec.get('region', 'us-east-1')
        body = spec['template'] if isinstance(spec['template'], str) else json.dumps(spec['template'])
        template = Template(body)
        now = self.state.clock.now()
        stack = self.new_stack(region, spec.get('account', '111111111111'), spec['name'], now)
        values = {}
        for name, decl in template.parameters.items():
            value = spec.get('parameters', {}).get(name, decl.get('Default'))
            if value is not None:
                values[name] = ','.join(value) if isinstance(value, list) else str(value)
        stack.update(TemplateBody=body, ParamValues=values, Tags=spec.get('tags', []),
                     Description=template.description)
        stack['Op'] = {'kind': 'create', 'imported': set(), 'token': None}
        ev = self.evaluator(stack, template, values, {}, {})
        ctx = ResourceContext(self, stack)
        status = spec.get('status', 'CREATE_COMPLETE')
        settled = status not in ('ROLLBACK_COMPLETE', 'DELETE_COMPLETE')
        for lid in template.order():
            if not ev.active(template.resources[lid]):
                continue
            record = self._new_record(stack, lid)
            props, meta = self._resolve(stack, lid)
            physical, attrs = rtypes.create(ctx, record['ResourceType'], lid, props) if settled else (None, {})
            record.update(PhysicalResourceId=physical, Attrs=attrs, Props=props, Meta=meta,
                          ResourceStatus='CREATE_COMPLETE' if settled else 'DELETE_COMPLETE')
        if settled:
            self._finish_outputs(stack)
        stack['Op'] = None
        self.stack_status(stack, status, spec.get('reason'))
        return stack
