"""The fake services and their stores, by botocore service name."""
from ..cfn.engine import CfnStore
from .autoscaling import AutoScaling, AutoScalingStore
from .base import Store
from .cloudformation import CloudFormation
from .cloudwatch import CloudWatch, CloudWatchStore
from .ec2 import Ec2, Ec2Store
from .logs import Logs, LogsStore
from .s3 import S3, S3Store
from .secretsmanager import SecretsManager, SecretsStore
from .ssm import Ssm, SsmStore
from .sts import Sts

SERVICES = {
    'cloudformation': (CloudFormation, CfnStore),
    'ec2': (Ec2, Ec2Store),
    'sts': (Sts, Store),
    'ssm': (Ssm, SsmStore),
    's3': (S3, S3Store),
    'autoscaling': (AutoScaling, AutoScalingStore),
    'cloudwatch': (CloudWatch, CloudWatchStore),
    'secretsmanager': (SecretsManager, SecretsStore),
    'logs': (Logs, LogsStore),
}


def make_stores(state):
    return {name: store(state) for name, (_, store) in SERVICES.items()}


def make_services(state):
    return {name: service(state) for name, (service, _) in SERVICES.items()}
