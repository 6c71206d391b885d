"""Reads and writes safetensors with numpy only, as an independent check of the Java code.

usage: safetensors_check.py read FILE    checks FILE against the values the Java test wrote
       safetensors_check.py write FILE   writes the file the Java test then reads

Values: element i of every tensor is 0.25 * i - 3 (exact in float32 and float64).
"""
import json
import struct
import sys

import numpy as np

EXPECTED = {
    "token_embedding.weight": ("F32", [4, 3]),
    "blocks.0.attention.q.weight": ("F64", [2, 3, 2]),
    "scale": ("F32", []),
    "bias": ("F64", [5]),
}
NUMPY = {"F32": "<f4", "F64": "<f8"}


def values(dtype, shape):
    n = int(np.prod(shape)) if shape else 1
    return (np.arange(n) * 0.25 - 3).astype(NUMPY[dtype]).reshape(shape)


def read(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert (8 + n) % 8 == 0, "data section not 8-aligned: header length %d" % n
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    assert header.pop("__metadata__") == {"source": "java"}, "metadata differs"
    assert set(header) == set(EXPECTED), "names differ: %s" % sorted(header)
    end = 0
    for name, entry in sorted(header.items(), key=lambda e: e[1]["data_offsets"][0]):
        begin, stop = entry["data_offsets"]
        assert begin == end, "%s starts at %d, expected %d" % (name, begin, end)
        end = stop
        dtype, shape = EXPECTED[name]
        assert entry["dtype"] == dtype and entry["shape"] == shape, "%s: %s" % (name, entry)
        array = np.frombuffer(data[begin:stop], dtype=NUMPY[dtype]).reshape(shape)
        assert np.array_equal(array, values(dtype, shape)), "%s: %s" % (name, array)
    assert end == len(data), "tensors cover %d of %d data bytes" % (end, len(data))


def write(path):
    header, blobs, offset = {"__metadata__": {"source": "python"}}, [], 0
    for name in reversed(list(EXPECTED)):
        dtype, shape = EXPECTED[name]
        blob = values(dtype, shape).tobytes()
        end = offset + len(blob)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, end]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
    print("ok")
