# The two commands a new user needs: `make run` and `make test`.
# Everything else here serves those two or the developers.

VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# Find a Python >= 3.12 that really runs: an explicit PYTHON=..., then the
# usual names on PATH, then pyenv's installed versions (pyenv shims on PATH
# fail unless a version is selected, so they are tried by running them).
define find_python
for c in $(PYTHON) python3 python3.13 python3.12 \
    $$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$c; exit 0; fi; \
done; exit 1
endef

.PHONY: run admin test test-fast test-reliability lint format bench serve venv dev-venv chromium nginx clean

$(VENV)/.runtime: requirements.txt
	@py=$$($(find_python)) || { echo "Python 3.12 or newer is needed (Django 6.1). Install one, or pass PYTHON=/path/to/python3.12." >&2; exit 1; }; \
	  [ -x $(PY) ] || { echo "Creating $(VENV) with $$py"; $$py -m venv $(VENV); }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.runtime
dev-venv: $(VENV)/.dev

## make run: set up, migrate (seeds the guide) and serve on http://$(HOST):$(PORT)
# Links the site hands out (the customer's photo link, the emails) point
# where it runs, unless SITE_BASE_URL says otherwise.
run: export DJANGO_DEBUG ?= 1
run: export SITE_BASE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver $(HOST):$(PORT)

## make admin: create an admin account for `make run`'s site (asks for a username and password;
## scripted: DJANGO_SUPERUSER_USERNAME/_EMAIL/_PASSWORD=... make admin ADMIN_ARGS=--noinput)
admin: export DJANGO_DEBUG ?= 1
admin: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createsuperuser $(ADMIN_ARGS)

# Browser tests need Debian's chromium; Playwright cannot download its own
# browser here. Install it where apt is available; otherwise stop loudly.
# The emoji font lets screenshots show the guide's emoji headings.
chromium:
	@need=; [ -x /usr/bin/chromium ] || need="chromium"; \
	dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need="$$need fonts-noto-color-emoji"; \
	if [ -n "$$need" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's $$need for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$need >/dev/null; \
	fi; \
	[ -x /usr/bin/chromium ] || { echo "Browser tests need /usr/bin/chromium (Debian package 'chromium'). Install it and run make test again." >&2; exit 1; }

# nginx for `make serve` and the reliability tests: Debian's nginx-light.
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's nginx-light"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx-light >/dev/null; \
	fi; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { echo "make serve needs nginx (Debian package 'nginx-light')." >&2; exit 1; }

## make serve: the production stack locally: gunicorn (2 workers, debug off) behind nginx on SERVE_PORT
SERVE_PORT ?= 8080
serve: $(VENV)/.runtime nginx
	PATH="$$PATH:/usr/sbin" $(PY) deploy/serve.py --port $(SERVE_PORT)

## make test-reliability: load and fault tests on PostgreSQL, gunicorn, nginx, moto (about 6 min)
test-reliability: $(VENV)/.dev nginx chromium
	DJANGO_SECRET_KEY=collectstatic-only $(PY) manage.py collectstatic --noinput -v0
	PATH="$$PATH:/usr/sbin" DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -m reliability tests/reliability $(PYTEST_ARGS)

## make test: set up and run every test, browser tests included
## (PYTEST_WORKERS=0 runs them one at a time, in one process)
# Workers in parallel (pytest-xdist; auto = one per CPU): most of a test's time
# is spent waiting on the database file, the browser or a subprocess, so two
# workers on two cores halve tests/helpcentre (5m54s -> 2m54s).
PYTEST_WORKERS ?= auto
test: $(VENV)/.dev chromium
	DJANGO_SECRET_KEY=collectstatic-only $(PY) manage.py collectstatic --noinput -v0
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

## make bench: the site as in production under wrk, side by side with Django's
## trivial view and nginx; each speed layer switched off in turn; search, page
## weight, Lighthouse; then bench-photos
## and bench-markdown (which fails the run if a worst case is over its bound).
## Prints the tables and splices them into docs/benchmarks.md.
.PHONY: bench-tools
bench: $(VENV)/.dev chromium bench-tools bench/node_modules/.package-lock.json
	@mkdir -p test-artifacts
	$(PY) bench/pages.py --layers --out test-artifacts/bench-pages.md $(BENCH_ARGS)
	$(MAKE) --no-print-directory bench-photos | tee test-artifacts/bench-photos.md
	$(MAKE) --no-print-directory bench-markdown > test-artifacts/bench-markdown.md; status=$$?; cat test-artifacts/bench-markdown.md; exit $$status
	$(PY) bench/report.py docs/benchmarks.md test-artifacts/bench-pages.md test-artifacts/bench-photos.md test-artifacts/bench-markdown.md

# The load generator and the static-file ceiling are Debian packages.
bench-tools:
	@if [ -x /usr/bin/wrk ] && [ -x /usr/sbin/nginx ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	echo "Installing Debian's wrk and nginx-light for the benchmark"; \
	$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk nginx-light >/dev/null; \
	[ -x /usr/bin/wrk ] && [ -x /usr/sbin/nginx ] || { echo "make bench needs wrk and nginx-light (Debian packages)." >&2; exit 1; }

# Lighthouse, pinned in bench/package-lock.json (12.x runs on Debian's Node 20).
bench/node_modules/.package-lock.json: bench/package.json bench/package-lock.json
	@# npm 11 rejects lighthouse 12's own lock for `npm ci` (third-party-web is reported missing even from a lock it just wrote), so install honours the lock instead.
	cd bench && npm install --no-audit --no-fund --loglevel=error

## make reply-check: the reply check's precision and recall on the labelled
## seller replies, per rule, and the time one check takes
.PHONY: reply-check
reply-check: $(VENV)/.dev
	DJANGO_SECRET_KEY=reply-check-only $(PY) bench/reply_check.py $(REPLY_CHECK_ARGS)

## make bench-erasure: how long erase_personal_data takes for 10,000 decided
## claims with 3 photos each (PostgreSQL of DATABASE_URL, local storage)
.PHONY: bench-erasure
bench-erasure: $(VENV)/.runtime
	$(PY) bench/erasure.py $(BENCH_ERASURE_ARGS)

## make mutation: change the pure claim modules one operator, constant, enum member or
## mapping entry at a time, run each module's own tests, and print per module the
## mutants killed and the survivors (fails under 95% killed; several minutes a module)
MUTATION_MODULES ?= claims/workflow.py claims/status_text.py claims/rules.py claims/facts.py \
	claims/guidance_rules.py claims/deadlines.py claims/tokens.py
MUTATION_ARGS ?= --min 95
.PHONY: mutation
mutation: $(VENV)/.dev
	DJANGO_SECRET_KEY=mutation-only DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) tools/mutation.py $(MUTATION_MODULES) $(MUTATION_ARGS)

## make phash-threshold: false matches and misses of the near-identical photo
## signal per candidate threshold, on made-up photos and edited copies
.PHONY: phash-threshold
phash-threshold: $(VENV)/.runtime
	DJANGO_SECRET_KEY=phash-threshold-only $(PY) bench/phash_threshold.py $(PHASH_ARGS)

## make bench-photos: the evidence photo pipeline against plain Pillow (prints a table)
.PHONY: bench-photos
bench-photos: $(VENV)/.dev
	$(PY) bench/photos.py $(BENCH_PHOTOS_ARGS)

## make bench-markdown: each worst-case article body at the size limit, rendered
## (prints a table; fails if any takes over a second)
.PHONY: bench-markdown
bench-markdown: $(VENV)/.runtime
	@$(PY) bench/markdown_worst.py $(BENCH_MARKDOWN_ARGS)
