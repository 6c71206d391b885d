#!/usr/bin/env python3
"""What a notebook user does with gradlens: create a model, train it, look inside.

Creates a small character-level model on a short text, trains it for a few steps
(printing the loss), pulls one gradient as a NumPy .npy file, checks it against the
JSON statistics, and prints an attention map. Needs `requests` and `numpy`.

    GRADLENS_URL=http://localhost:8080 python3 examples/notebook_client.py

Exits non-zero on any failure.
"""
import io
import os
import sys

import numpy as np
import requests

BASE = os.environ.get("GRADLENS_URL", "http://localhost:8080").rstrip("/")
TEXT = (
    "To be, or not to be, that is the question:\n"
    "Whether 'tis nobler in the mind to suffer\n"
    "The slings and arrows of outrageous fortune,\n"
)
WINDOW = 32
STEPS = 15


def call(method, path, **kwargs):
    """One request; raises with the problem+json detail on any non-2xx answer."""
    response = requests.request(method, BASE + path, timeout=120, **kwargs)
    if not response.ok:
        raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
    return response


def windows(text, size, count, step):
    """`count` overlapping windows of `size + 1` characters (inputs and next-token targets)."""
    return [text[i * step:i * step + size + 1] for i in range(count)]


def main():
    model = call("POST", "/api/models", json={
        "name": "notebook-demo",
        "dModel": 32, "nHeads": 4, "nLayers": 2, "maxSeqLen": WINDOW,
        "optimizer": {"type": "adamw", "learningRate": 3e-3},
        "tokenizer": {"type": "char", "corpus": TEXT},
    }).json()
    model_id = model["id"]
    print(f"model {model_id}: {model['parameterCount']} parameters, "
          f"vocabulary {model['config']['vocabSize']}")

    try:
        batch = windows(TEXT, WINDOW, 4, 17)
        losses = []
        for _ in range(STEPS):
            step = call("POST", f"/api/models/{model_id}/steps", json={"texts": batch}).json()
            losses.append(step["loss"])
            print(f"step {step['stepNumber']:3d}  loss {step['loss']:.4f}  "
                  f"grad norm {step['gradNorm']:.4f}  lr {step['learningRate']:.4g}  "
                  f"{step['durationMs']} ms")
        if not losses[-1] < losses[0]:
            raise RuntimeError(f"loss did not go down: {losses}")

        name = "blocks.0.attention.q.weight"
        raw = call("GET", f"/api/models/{model_id}/gradients/{name}",
                   headers={"Accept": "application/octet-stream"}).content
        grad = np.load(io.BytesIO(raw))
        stats = call("GET", f"/api/models/{model_id}/gradients").json()
        mine = next(p for p in stats["parameters"] if p["name"] == name)
        print(f"\n{name}: shape {grad.shape} dtype {grad.dtype}, "
              f"L2 norm {np.linalg.norm(grad):.6g} (service says {mine['l2Norm']:.6g})")
        if list(grad.shape) != mine["shape"]:
            raise RuntimeError(f"shape {grad.shape} != {mine['shape']}")
        if not np.isclose(np.linalg.norm(grad), mine["l2Norm"], rtol=1e-4):
            raise RuntimeError("gradient norm from .npy does not match the statistics")

        attention = call("POST", f"/api/models/{model_id}/attention?layer=1&head=0",
                         json={"text": "To be, or not"}).json()
        labels = attention["labels"]
        probabilities = np.array(attention["layers"][0]["heads"][0]["probabilities"])
        print(f"\nattention, layer 1 head 0 ({len(labels)} tokens):")
        print("      " + " ".join(f"{repr(t):>5}" for t in labels))
        for label, row in zip(labels, probabilities):
            print(f"{repr(label):>5} " + " ".join(f"{p:5.2f}" for p in row))
        if not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5):
            raise RuntimeError("attention rows do not sum to 1")
    finally:
        call("DELETE", f"/api/models/{model_id}")
    print("\nok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # noqa: BLE001 - report any failure and exit non-zero
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)
