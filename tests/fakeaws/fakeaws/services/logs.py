"""CloudWatch Logs, minimal: the calls a node makes (CreateLogGroup, CreateLogStream,
PutLogEvents, DescribeLogStreams, PutRetentionPolicy) and GetLogEvents for assertions."""
from .base import Service, Store

_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
                   2557, 2922, 3288, 3653)


class LogsStore(Store):
    def empty(self):
        return {'groups': {}}  # "region/name" -> group

    def view(self, bodies=False):
        return {'log_groups': {key: {'retention': g['retentionInDays'],
                                     'streams': {n: len(s['events']) for n, s in g['streams'].items()}}
                               for key, g in self.data['groups'].items()}}


class Logs(Service):
    name = 'logs'

    def _group(self, call, name):
        group = self.store.data['groups'].get(f'{call.region}/{name}')
        if group is None:
            raise self.error('ResourceNotFoundException', 'The specified log group does not exist.')
        return group

    def _stream(self, call, group_name, stream_name):
        stream = self._group(call, group_name)['streams'].get(stream_name)
        if stream is None:
            raise self.error('ResourceNotFoundException', 'The specified log stream does not exist.')
        return stream

    def CreateLogGroup(self, call):
        key = f"{call.region}/{call.params['logGroupName']}"
        if key in self.store.data['groups']:
            raise self.error('ResourceAlreadyExistsException', 'The specified log group already exists')
        self.store.data['groups'][key] = {'creationTime': call.now, 'retentionInDays': None, 'streams': {}}
        return {}

    def PutRetentionPolicy(self, call):
        days = call.params['retentionInDays']
        if days not in _RETENTION_DAYS:
            raise self.error('InvalidParameterException', f'1 validation error detected: Value \'{days}\' at '
                             "'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: "
                             f'[{", ".join(map(str, _RETENTION_DAYS))}]')
        self._group(call, call.params['logGroupName'])['retentionInDays'] = days
        return {}

    def CreateLogStream(self, call):
        group = self._group(call, call.params['logGroupName'])
        name = call.params['logStreamName']
        if name in group['streams']:
            raise self.error('ResourceAlreadyExistsException', 'The specified log stream already exists')
        group['streams'][name] = {'creationTime': call.now, 'events': [], 'token': 1}
        return {}

    def PutLogEvents(self, call):
        stream = self._stream(call, call.params['logGroupName'], call.params['logStreamName'])
        events = call.params['logEvents']
        stamps = [e['timestamp'] for e in events]
        if stamps != sorted(stamps):
            raise self.error('InvalidParameterException',
                             'Log events in a single PutLogEvents request must be in chronological order.')
        stream['events'].extend({'timestamp': e['timestamp'], 'message': e['message'],
                                 'ingestionTime': int(call.now.timestamp() * 1000)} for e in events)
        stream['token'] += 1
        return {'nextSequenceToken': f"{stream['token']:056d}"}

    def DescribeLogStreams(self, call):
        group = self._group(call, call.params['logGroupName'])
        prefix = call.params.get('logStreamNamePrefix', '')
        streams = []
        for name, s in sorted(group['streams'].items()):
            if name.startswith(prefix):
                streams.append({'logStreamName': name, 'creationTime': int(s['creationTime'].timestamp() * 1000),
                                'uploadSequenceToken': f"{s['token']:056d}",
                                'lastEventTimestamp': s['events'][-1]['timestamp'] if s['events'] else None,
                                'storedBytes': 0})
        return {'logStreams': streams}

    def GetLogEvents(self, call):
        stream = self._stream(call, call.params['logGroupName'], call.params['logStreamName'])
        return {'events': stream['events'], 'nextForwardToken': 'f/0', 'nextBackwardToken': 'b/0'}
