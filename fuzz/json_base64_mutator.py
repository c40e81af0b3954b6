"""AFL++ custom mutator for the relay's JSON request bodies (fuzz/common.sh enables it for relay-* targets).

Byte-level havoc on a JSON body almost always breaks the JSON or the base64 first, so the uninstrumented
System.Text.Json layer rejects it before any Enigm code runs and the corpus never grows. This mutator parses
the body, picks one base64 string field (a device log, token, payload, message body ...), decodes it,
mutates the decoded bytes (bit flip, random byte, insert, delete, truncate, duplicate a chunk, splice from
another corpus entry's field) and re-encodes and re-serialises, so the mutation reaches the decoders and
validators behind the JSON layer. Inputs that are not such JSON come back unchanged: AFL's own havoc still
runs on every input (AFL_CUSTOM_MUTATOR_ONLY is not set).
"""

import base64
import binascii
import json
import random

_rng = random.Random()


def init(seed):
    _rng.seed(seed)


def deinit():
    pass


def _fields(node, path=()):
    """Every (path, bytes) of a string that is standard base64 of at least one byte."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _fields(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _fields(value, path + (index,))
    elif isinstance(node, str) and len(node) >= 4 and len(node) % 4 == 0:
        try:
            yield path, base64.b64decode(node, validate=True)
        except (binascii.Error, ValueError):
            pass


def _set(node, path, value):
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def _parse(buf):
    try:
        document = json.loads(bytes(buf).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, []
    return document, list(_fields(document))


def _mutate(data, donor):
    data = bytearray(data)
    choice = _rng.randrange(7)
    if choice == 0 and data:
        position = _rng.randrange(len(data))
        data[position] ^= 1 << _rng.randrange(8)
    elif choice == 1 and data:
        data[_rng.randrange(len(data))] = _rng.randrange(256)
    elif choice == 2:
        position = _rng.randrange(len(data) + 1)
        data[position:position] = bytes(_rng.randrange(256) for _ in range(_rng.randrange(1, 9)))
    elif choice == 3 and len(data) > 1:
        start = _rng.randrange(len(data))
        del data[start:start + _rng.randrange(1, min(64, len(data) - start) + 1)]
    elif choice == 4 and data:
        del data[_rng.randrange(len(data)):]
    elif choice == 5 and data:
        start = _rng.randrange(len(data))
        chunk = data[start:start + _rng.randrange(1, 65)]
        position = _rng.randrange(len(data) + 1)
        data[position:position] = chunk
    elif donor:
        start = _rng.randrange(len(donor))
        data[_rng.randrange(len(data) + 1):] = donor[start:start + _rng.randrange(1, 257)]
    else:
        data.append(_rng.randrange(256))
    return bytes(data)


def fuzz(buf, add_buf, max_size):
    document, fields = _parse(buf)
    if not fields:
        return buf
    path, data = _rng.choice(fields)
    _, donors = _parse(add_buf)
    donor = _rng.choice(donors)[1] if donors else b""
    _set(document, path, base64.b64encode(_mutate(data, donor)).decode("ascii"))
    out = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return bytearray(out[:max_size])
