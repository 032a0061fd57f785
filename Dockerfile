# Bulkhead: segment risk service.
# Build:  docker build -t bulkhead .
# Run:    docker run -p 8080:8080 -v bulkhead-data:/data \
#           -v "$PWD/keys.json:/app/Config/keys.json:ro" bulkhead
# The image ships Config/ without keys.json (.dockerignore): /v1 answers 503 no_api_keys
# until a keys file is mounted, so no development key can reach production by accident.

FROM swift:6.3-bookworm AS builder
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl-dev zlib1g-dev libsqlite3-dev libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Resolve dependencies in their own layer so source edits do not refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product bulkhead \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/bulkhead" /out/bulkhead

FROM debian:bookworm-slim
# Only the shared libraries the static-stdlib binary still links (checked by
# scripts/checks/runtime-root-check.sh): OpenSSL, zlib, SQLite; glibc and libstdc++ are in the base.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3 zlib1g libsqlite3-0 libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 bulkhead \
    && useradd --system --uid 10001 --gid bulkhead --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin bulkhead \
    && mkdir -p /data \
    && chown bulkhead:bulkhead /data
WORKDIR /app
COPY --from=builder /out/bulkhead /usr/local/bin/bulkhead
COPY Config /app/Config
ENV BULKHEAD_HOST=0.0.0.0 \
    BULKHEAD_PORT=8080 \
    BULKHEAD_CONFIG=/app/Config \
    BULKHEAD_DATA=/data
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
# The binary probes itself over a plain socket: no curl in the image.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bulkhead", "healthcheck", "--path", "/healthz"]
ENTRYPOINT ["bulkhead"]
CMD ["serve", "--host", "0.0.0.0", "--config", "/app/Config", "--data", "/data"]
