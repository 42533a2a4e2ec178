# SPDX-License-Identifier: Apache-2.0
"""One JSON log line per call on stderr, the keys Powertools users know (both peers use it)."""
import json
import sys
import time


def log(service, level, message, **fields):
    fields.update(level=level, message=message, service=service,
                  timestamp=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    print(json.dumps(fields), file=sys.stderr, flush=True)
