"""The botocore service models of the faked services, and how a request finds its service."""
import functools

import botocore.session

# botocore service name -> the names a request can use for it.
SERVICE_NAMES = (
    'cloudformation', 'ec2', 'sts', 'ssm', 's3', 'autoscaling', 'cloudwatch', 'secretsmanager',
    'logs',
)


class ServiceInfo:
    def __init__(self, name, model):
        self.name = name
        self.model = model
        meta = model.metadata
        self.protocol = meta['protocol']
        self.signing_name = meta.get('signingName') or meta['endpointPrefix']
        self.target_prefix = meta.get('targetPrefix')
        self.json_version = meta.get('jsonVersion', '1.0')
        self.api_version = meta['apiVersion']
        self.xml_namespace = meta.get('xmlNamespace', '')
        if self.xml_namespace and not self.xml_namespace.endswith('/'):
            self.xml_namespace += '/'  # EC2's model leaves off the slash the service sends
        # Error code -> HTTP status, from the modeled error shapes.
        self.error_status = {}
        for shape_name in model.shape_names:
            shape = model.shape_for(shape_name)
            err = shape.metadata.get('error') if shape.metadata.get('exception') else None
            if err is not None or shape.metadata.get('exception'):
                code = (err or {}).get('code', shape_name)
                self.error_status[code] = (err or {}).get('httpStatusCode', 400)

    def operation(self, name):
        """The operation model, or None for an operation the service does not have."""
        if name not in self.model.operation_names:
            return None
        return self.model.operation_model(name)

    def status_for(self, code, default=400):
        return self.error_status.get(code, default)


@functools.lru_cache(maxsize=None)
def _session():
    return botocore.session.get_session()


@functools.lru_cache(maxsize=None)
def service(name):
    return ServiceInfo(name, _session().get_service_model(name))


@functools.lru_cache(maxsize=None)
def by_signing_name():
    return {service(n).signing_name: service(n) for n in SERVICE_NAMES}


@functools.lru_cache(maxsize=None)
def by_target_prefix():
    return {service(n).target_prefix: service(n) for n in SERVICE_NAMES if service(n).target_prefix}
