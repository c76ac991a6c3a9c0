"""Local fake AWS endpoints for the stacks-runner tests.

The fakes use botocore's service models as the authority on request and response shapes. Debian's
python3-botocore (what scripts/deps.sh installs) is preferred over any other botocore on the path,
so that the fakes behave the same whichever python3 runs them: newer botocore releases moved some
services to other protocols (CloudWatch speaks CBOR in botocore 1.36+). Set FAKEAWS_ANY_BOTOCORE=1
to use whatever botocore is importable instead.
"""
import os
import sys

_DEBIAN_DIST_PACKAGES = '/usr/lib/python3/dist-packages'


def _prefer_debian_botocore():
    if os.environ.get('FAKEAWS_ANY_BOTOCORE') or 'botocore' in sys.modules:
        return
    if os.path.isdir(os.path.join(_DEBIAN_DIST_PACKAGES, 'botocore')):
        if _DEBIAN_DIST_PACKAGES in sys.path:
            sys.path.remove(_DEBIAN_DIST_PACKAGES)
        sys.path.insert(1 if sys.path else 0, _DEBIAN_DIST_PACKAGES)


_prefer_debian_botocore()

ACCOUNT_ID = '111111111111'
DEFAULT_ACCESS_KEY_ID = 'AKIDEXAMPLE'
DEFAULT_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
