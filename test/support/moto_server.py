"""Start moto_server with reproducible KMS key material (local stack only).

moto draws each KMS key's material from os.urandom, so ciphertext made on one
local stack can never be decrypted on the next. The committed sender fixtures
carry real AWS Encryption SDK messages whose data key was wrapped by the
local KMS, so this launcher derives a symmetric key's material from its ARN
and a public test seed instead. Key ids become reproducible through moto's
own /moto-api/seed.

moto_server answers requests on several threads, and its DynamoDB checks a
write's condition and applies the write without a lock, so two concurrent
conditional writes to one item can both pass. Real DynamoDB applies each
write to an item atomically (the property the suite's exactly-once claims,
replay protection and counters rely on), so this launcher runs moto's
DynamoDB writes (and the reads that could see one half done) one at a
time. Everything else is moto as shipped.

Never point anything real at this: the key material is public by design.
"""

import hashlib
import hmac
import os
import sys

from moto.kms import models

SEED = os.environ.get(
    "LOCAL_KMS_SEED", "cognito-trigger-suite public local test key material"
).encode()

_original_init = models.Key.__init__


def _reproducible_init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    if self.key_spec == "SYMMETRIC_DEFAULT":
        self.key_material = hmac.new(SEED, self.arn.encode(), hashlib.sha256).digest()


models.Key.__init__ = _reproducible_init

import functools  # noqa: E402
import threading  # noqa: E402

from moto.dynamodb.models import DynamoDBBackend  # noqa: E402

_WRITE_LOCK = threading.RLock()


def _atomic(method):
    @functools.wraps(method)
    def locked(*args, **kwargs):
        with _WRITE_LOCK:
            return method(*args, **kwargs)

    return locked


for _name in (
    "get_item",
    "query",
    "put_item",
    "update_item",
    "delete_item",
    "batch_write_item",
    "transact_write_items",
    "execute_transaction",
):
    setattr(DynamoDBBackend, _name, _atomic(getattr(DynamoDBBackend, _name)))

from moto.server import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
