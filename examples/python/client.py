#!/usr/bin/env python3
"""Minimal ampel gRPC client: Info, Analyze, Redact -> Restore, AnalyzeStream.

Generate the stubs once (see README.md next to this file), start the daemon
(`ampel serve`), then:

    python client.py                      # the SPEC example ticket
    python client.py "Text to check ..."  # your own text

Environment: AMPEL_ADDR (default 127.0.0.1:50051), AMPEL_TOKEN (bearer token
when the daemon runs with --token-file).
"""

import os
import sys

import grpc

from ampel.v1 import ampel_pb2 as pb
from ampel.v1 import ampel_pb2_grpc as rpc

SPEC_EXAMPLE = (
    "Hier ist das Support-Ticket von Frau Weber (weber@example.com), Kundennr. 4711: "
    '"Meine Bestellung #98765 vom 15.01. ist nicht angekommen. Ich bin schwanger und '
    'brauche die Babyausstattung dringend."'
)


def label(n: int) -> str:
    """LABEL_PERSON -> PERSON (the SPEC spelling)."""
    return pb.Label.Name(n).removeprefix("LABEL_")


def main() -> int:
    addr = os.environ.get("AMPEL_ADDR", "127.0.0.1:50051")
    token = os.environ.get("AMPEL_TOKEN")
    metadata = [("authorization", f"Bearer {token}")] if token else []
    text = sys.argv[1] if len(sys.argv) > 1 else SPEC_EXAMPLE

    with grpc.insecure_channel(addr) as channel:
        grpc.channel_ready_future(channel).result(timeout=10)
        stub = rpc.AmpelStub(channel)

        info = stub.Info(pb.InfoRequest(), metadata=metadata, timeout=5)
        model = info.model.name if info.HasField("model") else "rules only"
        print(f"ampel {info.version} ({model}, policy {info.policy_version})")

        # Analyze: verdict, reasons, entities. start/end are code point
        # offsets, so Python slicing works directly.
        a = stub.Analyze(pb.AnalyzeRequest(text=text), metadata=metadata, timeout=5)
        print("verdict:", pb.Verdict.Name(a.verdict).removeprefix("VERDICT_"))
        for r in a.reasons:
            print(f"  reason {r.code}: {r.message}")
        for e in a.entities:
            print(
                f"  {label(e.label):<16} {text[e.start:e.end]!r} "
                f"score={e.score:.2f} source={pb.Source.Name(e.source).removeprefix('SOURCE_').lower()}"
            )

        # Redact -> send `redacted` to the AI tool -> Restore its answer.
        r = stub.Redact(pb.RedactRequest(text=text), metadata=metadata, timeout=5)
        print("redacted:", r.redacted)
        if r.restore_handle:
            ai_answer = f"Entwurf einer Antwort auf: {r.redacted}"
            try:
                restored = stub.Restore(
                    pb.RestoreRequest(restore_handle=r.restore_handle, text=ai_answer),
                    metadata=metadata,
                    timeout=5,
                )
                print("restored:", restored.restored)
            except grpc.RpcError as err:
                # INVALID_ARGUMENT: unknown/tampered handle (or another key);
                # FAILED_PRECONDITION: the handle expired -> redact again.
                print("restore failed:", err.code().name, err.details())

        # AnalyzeStream: bulk work; answers keep request order and echo ids.
        def requests():
            for i, t in enumerate([text, "Durchschnittlicher Warenkorbwert: 85 €.", ""]):
                yield pb.AnalyzeStreamRequest(request_id=f"t{i}", text=t)

        for item in stub.AnalyzeStream(requests(), metadata=metadata, timeout=60):
            if item.HasField("error"):
                print(f"  {item.request_id}: error {item.error.code}: {item.error.message}")
            else:
                v = pb.Verdict.Name(item.analysis.verdict).removeprefix("VERDICT_")
                print(f"  {item.request_id}: {v}, {len(item.analysis.entities)} entities")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except grpc.RpcError as err:
        print(f"ampel: {err.code().name}: {err.details()}", file=sys.stderr)
        sys.exit(1)
