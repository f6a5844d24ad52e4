"""Rules speed of both use cases beside a reference commit, with byte-identical outputs checked first.

The reference (``--ref``, default ``main``) is copied out of git (``git archive``) and imported beside
this tree in the same process: each side runs with its own ``partages_core`` modules in
``sys.modules``, so lazy loaders resolve to the right copy. Then:

1. Identity: ``oncology.extract`` and ``infectiology.extract`` (rules) of both sides on every dev
   hand-written document (the frozen part is not read) plus ``--generated`` commons documents
   (``corpus.generator.generate``, ``--seed``) give the same JSON bytes; any difference is printed
   (document id, use case) and the script exits 1.
2. Speed: ``--reps`` rounds over the same documents, the two sides taking turns of 25 documents
   (which one goes first alternates), CPU time of this process (``time.process_time``), so other jobs
   on a shared machine count little and a change of load hits both sides alike. Prints documents per
   CPU-second per side and round, and the ratio (this tree / reference): median, range and a 95 % t
   interval of its mean over the rounds.

Run: PYTHONPATH=. python benchmarks/bench_usecases_speed.py [--ref main] [--reps 7] [--generated 500]
     [--docs hw-305 hw-320]   # only those dev documents (identity of a new batch), no generated ones
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USECASES = ("oncology", "infectiology")
CHUNK = 25  # documents per turn of one side
_T975 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23}


def _own_modules() -> dict:
    return {k: v for k, v in sys.modules.items() if k == "partages_core" or k.startswith("partages_core.")}


class Side:
    """One copy of ``partages_core`` (its root on disk) with its modules kept apart from the other's."""

    def __init__(self, name: str, root: Path):
        self.name, self.root = name, root
        saved = _own_modules()
        for k in saved:
            del sys.modules[k]
        sys.path.insert(0, str(root))
        try:
            self.extract = {uc: importlib.import_module(f"partages_core.usecases.{uc}").extract for uc in USECASES}
            self.modules = _own_modules()
        finally:
            sys.path.remove(str(root))
            for k in self.modules:
                del sys.modules[k]
            sys.modules.update(saved)
        file = self.modules["partages_core"].__file__
        if not Path(file).resolve().is_relative_to(root.resolve()):
            raise SystemExit(f"error: side {name} imported partages_core from {file}, not {root}")

    @contextlib.contextmanager
    def active(self):
        """This side's modules in ``sys.modules`` (lazy imports and ``importlib.resources`` find them)."""
        saved = _own_modules()
        for k in saved:
            del sys.modules[k]
        sys.modules.update(self.modules)
        try:
            yield
        finally:
            for k in self.modules:
                sys.modules.pop(k, None)
            sys.modules.update(saved)

    def outputs(self, uc: str, texts: list[str]) -> list[str]:
        with self.active():
            return [json.dumps(self.extract[uc](t), ensure_ascii=False, sort_keys=True) for t in texts]

    def cpu_seconds(self, uc: str, texts: list[str]) -> float:
        fn = self.extract[uc]
        with self.active():
            gc.collect()
            c = time.process_time()
            for t in texts:
                fn(t)
            return time.process_time() - c


def reference_tree(ref: str, into: Path) -> Path:
    """``partages_core`` of git ``ref`` extracted under ``into``."""
    archive = into / "ref.tar"
    try:
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref, "partages_core"], check=True,
                       capture_output=True, text=True)
    except subprocess.CalledProcessError as err:
        print(f"error: --ref {ref!r}: git archive failed: {err.stderr.strip().splitlines()[-1]}", file=sys.stderr)
        sys.exit(2)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "ref", filter="data")
    return into / "ref"


def documents(n_generated: int, seed: int, docs: tuple[str, str] | None) -> list[tuple[str, str]]:
    """(id, text): dev hand-written documents (or the ids ``docs``), then ``n_generated`` commons documents."""
    from partages_core.corpus.handwritten import dev_range, load_sources

    wanted = set(dev_range(*docs)) if docs else None
    out = [(hw.meta["id"], hw.document.text) for hw in load_sources(split="dev")
           if wanted is None or hw.meta["id"] in wanted]
    if n_generated and not docs:
        from partages_core.corpus.generator import generate

        gen = []
        for p in generate(n_generated, seed):
            gen += [(f"gen:{d.id}", d.text) for d in p.documents]
            if len(gen) >= n_generated:
                break
        out += gen[:n_generated]
    return out


def speed(uc: str, part: str, texts: list[str], ref: Side, own: Side, reps: int) -> None:
    """Documents per CPU-second of both sides over ``texts``, alternating, and their ratio."""
    rows = []
    chunks = [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]
    for rep in range(reps):
        secs = {ref.name: 0.0, own.name: 0.0}
        for k, chunk in enumerate(chunks):  # short alternating turns: a change of load hits both sides alike
            for side in ((ref, own) if (k + rep) % 2 == 0 else (own, ref)):
                secs[side.name] += side.cpu_seconds(uc, chunk)
        rows.append((len(texts) / secs[ref.name], len(texts) / secs[own.name]))
        print(f"   {uc:<13} {part:<9} round {rep + 1}: reference {rows[-1][0]:6.0f}  this tree {rows[-1][1]:6.0f} "
              f"documents/CPU-s  ratio {rows[-1][1] / rows[-1][0]:.3f}")
    ratios = [b / a for a, b in rows]
    mean = statistics.mean(ratios)
    interval = "no interval from one round"
    if len(ratios) > 1:
        half = _T975.get(len(ratios) - 1, 2.0) * statistics.stdev(ratios) / len(ratios) ** 0.5
        interval = f"[{mean - half:.3f}, {mean + half:.3f}]"
    print(f"speed {uc:<13} {part:<9} ({len(texts)} documents) reference median "
          f"{statistics.median(a for a, _ in rows):.0f}, this tree median {statistics.median(b for _, b in rows):.0f} documents/CPU-s; ratio median "
          f"{statistics.median(ratios):.3f} (range {min(ratios):.3f}-{max(ratios):.3f}, mean {mean:.3f} "
          f"{interval}, {len(ratios)} rounds)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="main", help="git commit or branch to compare with (default main)")
    ap.add_argument("--reps", type=int, default=7, help="timed rounds per side (default 7)")
    ap.add_argument("--generated", type=int, default=500, help="commons documents added to the dev set (default 500)")
    ap.add_argument("--seed", type=int, default=13, help="seed of the generated documents (default 13)")
    ap.add_argument("--docs", nargs=2, metavar=("FIRST", "LAST"), help="only dev documents FIRST..LAST")
    args = ap.parse_args()
    if args.reps < 1 or args.generated < 0:
        print("error: --reps must be >= 1 and --generated >= 0", file=sys.stderr)
        sys.exit(2)
    from partages_core.errors import InputError

    try:
        docs = documents(args.generated, args.seed, tuple(args.docs) if args.docs else None)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    ids, texts = [d[0] for d in docs], [d[1] for d in docs]
    n_dev = sum(not i.startswith("gen:") for i in ids)
    with tempfile.TemporaryDirectory(prefix="bench_speed_") as tmp:
        ref = Side(f"ref {args.ref}", reference_tree(args.ref, Path(tmp)))
        own = Side("this tree", ROOT)
        print(f"{len(texts)} documents: {n_dev} dev hand-written + {len(texts) - n_dev} generated (seed {args.seed}); "
              f"reference {args.ref}; load average {os.getloadavg()[0]:.1f}")
        differ = 0
        for uc in USECASES:
            a, b = ref.outputs(uc, texts), own.outputs(uc, texts)
            bad = [i for i, x, y in zip(ids, a, b) if x != y]
            differ += len(bad)
            print(f"identity {uc:<13} {len(texts) - len(bad)}/{len(texts)} byte-identical JSON outputs"
                  + (f"; differ: {', '.join(bad[:20])}" if bad else ""))
        sets = [("dev", [t for i, t in zip(ids, texts) if not i.startswith("gen:")]),
                ("generated", [t for i, t in zip(ids, texts) if i.startswith("gen:")])]
        for uc in USECASES:
            for part, sub in sets:
                if sub:
                    speed(uc, part, sub, ref, own, args.reps)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
