"""Federated benchmark: a 4-node in-process round on the small profile (target <= 5 s) vs the same
evaluation run centrally in the same process (baseline); optionally a Flower loopback round
(target <= 60 s from submission to result). Usage: python benchmarks/bench_federated.py [--flower]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from partages_core.corpus.commons import load_commons
from partages_core.federated.config import build_federation
from partages_core.federated.evaluators import INFECTIO_BASELINE, INFECTIO_TASK, infectio_evaluator


def main() -> None:
    commons = load_commons("small")
    docs = [d for _, d in commons.documents()]
    t0 = time.perf_counter()
    infectio_evaluator(INFECTIO_TASK, INFECTIO_BASELINE, docs)
    central = time.perf_counter() - t0
    fed = build_federation(commons.patients, seed=13)
    rounds = []
    for _ in range(3):
        t0 = time.perf_counter()
        result = fed.run(INFECTIO_TASK, INFECTIO_BASELINE)
        rounds.append(time.perf_counter() - t0)
    best = min(rounds)
    print(f"small profile: {len(commons.patients)} patients, {len(docs)} documents, {len(fed.nodes)} nodes")
    print(f"centralised evaluation (baseline): {central:.3f} s")
    print(f"4-node in-process round: best {best:.3f} s of {[round(r, 3) for r in rounds]} "
          f"(x{best / central:.2f} the baseline; target <= 5 s: {'OK' if best <= 5 else 'MISSED'})")
    print(f"  answered {len(result.answered)}/{len(result.nodes)}, micro F1 {result.micro.f1:.3f}")
    if "--flower" in sys.argv:
        from partages_core.federated.flower import LoopbackFederation, write_enrolment

        work = Path(tempfile.mkdtemp(prefix="bench-flower-"))
        facilities = {n: node.facility for n, node in fed.nodes.items()}
        t0 = time.perf_counter()
        with LoopbackFederation(work, commons.folder, facilities, seed=13) as lf:
            started = time.perf_counter() - t0
            out = lf.run(INFECTIO_TASK, INFECTIO_BASELINE, write_enrolment(fed, work / "enrolment.json"),
                         deadline_s=30, quorum=4)
        total = time.perf_counter() - t0
        print(f"Flower loopback (SuperLink + 4 SuperNodes): start {started:.1f} s, round {out['wall_s']:.1f} s "
              f"(ServerApp {out['elapsed_s']:.1f} s), total {total:.1f} s; answered "
              f"{len(out['result']['answered'])}/4; target <= 60 s: {'OK' if out['wall_s'] <= 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
