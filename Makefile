# catalog-search: the two commands a newcomer needs are `make up` and `make test`.
SHELL := /bin/bash
STACK := devstack/stack.sh

.PHONY: up up-tls down status logs test faults lint fmt install storefront

up: ## install everything, start the whole local stack, print the URLs
	@$(STACK) up
	@echo
	@echo "read API   http://127.0.0.1:$${CATALOG_READ_API_PORT:-8000}   (docs: /docs)"
	@echo "write API  http://127.0.0.1:$${CATALOG_WRITE_API_PORT:-8001}  (docs: /docs)"
	@echo "CLI        .venv/bin/catalog --help"
	@echo "logs       .devstack/logs/"
	@if [[ -f $${DEVSTACK_DIR:-.devstack}/run/tls-mode ]]; then \
		echo "TLS read   https://127.0.0.1:$${DEVSTACK_NGINX_READ_PORT:-8443}  (nginx, two read API processes)"; \
		echo "TLS write  https://127.0.0.1:$${DEVSTACK_NGINX_WRITE_PORT:-8444}"; \
		echo "TLS CA     $${DEVSTACK_DIR:-.devstack}/tls/ca.pem  (curl --cacert, SSL_CERT_FILE)"; \
	fi

up-tls: ## `make up` in TLS mode: nginx (TLS, HTTP/2) in front of two read APIs and the write API
	@DEVSTACK_TLS=1 $(MAKE) --no-print-directory up

down: ## stop everything `make up` started
	@$(STACK) down

status: ## which services run, with pid and port
	@$(STACK) status

logs: ## follow every log of the local stack
	@tail -n 20 -F .devstack/logs/*.log

install: ## install dependencies and services without starting them
	@$(STACK) install

storefront: ## build the storefront bundle (npm ci + npm run build in storefront/, cached)
	@bash -c 'source devstack/lib/common.sh && source devstack/lib/install.sh && ensure_dirs && install_storefront'

test: ## ruff, mypy and the whole test suite against its own freshly started services
	@bash devstack/test.sh

faults: ## the fault tests in full (imports of 20,000 products) on a test stack of their own
	@CATALOG_FAULTS_IN_FULL=1 CATALOG_FAULT_IMPORT_COUNT=20000 bash devstack/test.sh tests/faults

lint: install ## ruff and mypy only
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

fmt: install ## format and autofix
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .
