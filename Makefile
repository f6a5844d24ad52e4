# PARTAGES portal: two commands for newcomers (make portal, make test); the rest are steps.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export FLWR_TELEMETRY_ENABLED := 0

.PHONY: install portal site test test-fast serve workshop benchmarks clean

# Reinstall only when the dependency list changed (the stamp is newer than pyproject.toml).
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP)

## The main job: commons → every stage → executed notebooks → site/_site.
portal: $(STAMP)
	$(VENV)/bin/partages portal build

## Execute the notebooks and render the site only.
site: $(STAMP)
	$(VENV)/bin/partages portal site

## The whole test suite: unit tests, notebooks (nbval-lax), site and demos in Chromium.
test: $(STAMP)
	$(PY) -m pytest tests notebooks --nbval-lax -p no:cacheprovider --durations=30

test-fast: $(STAMP)
	$(PY) -m pytest tests -m "not slow" -p no:cacheprovider

## Serve the rendered site and the Voila demos on localhost.
serve: $(STAMP)
	$(VENV)/bin/partages portal serve

workshop: $(STAMP)
	$(VENV)/bin/partages portal workshop --out workshop --measure

benchmarks: $(STAMP)
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf build site/_site site/_executed workshop
