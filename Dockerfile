# syntax=docker/dockerfile:1

# ---------------------------------------------------------------------------
# storefront stage: the InstantSearch.js page the read API serves at /
# ---------------------------------------------------------------------------
FROM node:20-slim AS storefront

WORKDIR /storefront
COPY storefront/package.json storefront/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY storefront/build.mjs ./
COPY storefront/src/ ./src/
RUN npm run build

# ---------------------------------------------------------------------------
# build stage: resolve the locked dependencies into /app/.venv
# ---------------------------------------------------------------------------
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN pip install uv==0.13.8

WORKDIR /app

# dependencies first: this layer is reused until pyproject.toml or uv.lock change
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

# then the project itself (README.md is the package's readme, hatchling needs it)
COPY README.md ./
COPY catalog/ ./catalog/
COPY cli/ ./cli/
COPY write_api/ ./write_api/
COPY read_api/ ./read_api/
COPY indexer/ ./indexer/
COPY analytics/ ./analytics/
COPY workers/ ./workers/
RUN uv sync --frozen --no-dev

# ---------------------------------------------------------------------------
# runtime stage: same base image (the venv's python links to /usr/local/bin),
# no uv, no build tooling, non-root
# ---------------------------------------------------------------------------
FROM python:3.11-slim AS runtime

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# the project is installed editable, so the venv and the sources keep the same /app paths;
# root-owned, so the app user can read but not modify them
COPY --from=build /app /app
# the built page only (hashed bundle + index.html), not its node_modules
COPY --from=storefront /storefront/dist /app/storefront/dist

USER app

EXPOSE 8000 8001

# healthchecks use python (see compose.yaml); curl is not installed
CMD ["uvicorn", "--factory", "read_api.app:create_app", "--host", "0.0.0.0", "--port", "8000", "--no-access-log"]
