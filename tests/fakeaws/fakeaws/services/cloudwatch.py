"""CloudWatch: PutMetricData, checked like the service checks it, and stored for assertions
(GET /__fake/state -> "metrics")."""
import datetime
import math

from ..errors import AwsError
from .base import Service, Store


class CloudWatchStore(Store):
    def empty(self):
        return {'metrics': []}

    def view(self, bodies=False):
        out = []
        for m in self.data['metrics']:
            entry = dict(m)
            for key in ('Timestamp', 'Received'):
                if entry.get(key):
                    entry[key] = entry[key].isoformat()
            out.append(entry)
        return {'metrics': out}


class CloudWatch(Service):
    name = 'cloudwatch'

    def PutMetricData(self, call):
        namespace = call.params['Namespace']
        if namespace.startswith('AWS/'):
            raise AwsError('InvalidParameterValue', f'The value {namespace} for parameter Namespace is invalid.')
        data = call.params['MetricData']
        if not data:
            raise AwsError('MissingParameter', 'The parameter MetricData is required.')
        for i, datum in enumerate(data, 1):
            self._check(datum, f'MetricData.member.{i}', call.now)
        for datum in data:
            self.store.data['metrics'].append({
                'Namespace': namespace, 'MetricName': datum['MetricName'],
                'Dimensions': {d['Name']: d['Value'] for d in datum.get('Dimensions', [])},
                'Value': datum.get('Value'), 'Values': datum.get('Values'), 'Counts': datum.get('Counts'),
                'StatisticValues': datum.get('StatisticValues'), 'Unit': datum.get('Unit', 'None'),
                'Timestamp': datum.get('Timestamp'), 'StorageResolution': datum.get('StorageResolution', 60),
                'Region': call.region, 'Received': call.now})
        return {}

    @staticmethod
    def _check(datum, where, now):
        names = [d['Name'] for d in datum.get('Dimensions', [])]
        if len(names) != len(set(names)):
            raise AwsError('InvalidParameterValue', f'The collection {where}.Dimensions must not have duplicate names.')
        if 'Value' in datum and 'StatisticValues' in datum:
            raise AwsError('InvalidParameterCombination', f'The parameters {where}.Value and {where}.StatisticValues '
                           'are mutually exclusive and you have specified both.')
        if 'Value' in datum and 'Values' in datum:
            raise AwsError('InvalidParameterCombination', f'The parameters {where}.Value and {where}.Values are '
                           'mutually exclusive and you have specified both.')
        values = ([('Value', datum['Value'])] if 'Value' in datum else []) + \
                 [(f'Values.member.{j}', v) for j, v in enumerate(datum.get('Values', []), 1)]
        for name, value in values:
            if math.isnan(value) or math.isinf(value) or (value != 0 and not 8.515920e-109 <= abs(value) <= 1.174271e+108):
                raise AwsError('InvalidParameterValue', f'The value {value} for parameter {where}.{name} is invalid.')
        if 'Counts' in datum and len(datum['Counts']) != len(datum.get('Values', [])):
            raise AwsError('InvalidParameterValue', f'The parameters {where}.Values and {where}.Counts must be of '
                           'the same size.')
        stats = datum.get('StatisticValues')
        if stats and (stats['Minimum'] > stats['Maximum'] or stats['SampleCount'] <= 0):
            raise AwsError('InvalidParameterValue', f'The parameter {where}.StatisticValues is invalid.')
        if datum.get('StorageResolution', 60) not in (1, 60):
            raise AwsError('InvalidParameterValue', f'The value {datum["StorageResolution"]} for parameter '
                           f'{where}.StorageResolution is invalid.')
        stamp = datum.get('Timestamp')
        if stamp is not None:
            if stamp > now + datetime.timedelta(hours=2):
                raise AwsError('InvalidParameterValue', f'The parameter {where}.Timestamp must specify a time no '
                               'more than two hours in the future.')
            if stamp < now - datetime.timedelta(weeks=2):
                raise AwsError('InvalidParameterValue', f'The parameter {where}.Timestamp must specify a time '
                               'within the past two weeks.')
