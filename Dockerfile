# syntax=docker/dockerfile:1
# The k6-llm CLI on the official k6 image: grafana/k6 (Alpine; k6 at
# /usr/bin/k6, user 12345), plus Node and npm from Alpine, plus k6-llm and
# its linux meter package installed as a user installs them (npm install),
# from the release folder `npm run pack` makes. The meter is the packaged
# binary (static, CGO_ENABLED=0, so it runs on Alpine's musl), checked
# against its SHA-256 in k6-llm before first use; no Go anywhere.
#
#   npm run pack && docker build -t k6-llm:0.1.0 .
#   docker run --rm --network host k6-llm:0.1.0 run chat --url http://HOST:8000/v1 --model NAME
#   docker run --rm k6-llm:0.1.0 demo chat
#
# Not built or tested here: the machines this repository's CI runs on have no
# Docker engine. test/k6/install.test.ts installs the same tarballs the same
# way (npm install, no Go on PATH) and runs them. Once k6-llm is published,
# `npm install k6-llm@${K6_LLM_VERSION}` replaces the COPY and the tarball paths.
# Keep K6_VERSION the same as ci/k8s/Dockerfile's and the CI templates' (test/unit/ci/images.test.ts).
ARG K6_VERSION=2.3.0
FROM grafana/k6:${K6_VERSION}
ARG K6_LLM_VERSION=0.1.0
# amd64 or arm64, set by docker buildx for the platform being built.
ARG TARGETARCH
USER root
RUN apk add --no-cache nodejs npm
COPY release/k6-llm-${K6_LLM_VERSION}.tgz release/k6-llm-meter-linux-*-${K6_LLM_VERSION}.tgz release/SHA256SUMS /tmp/k6-llm/
WORKDIR /opt/k6-llm
RUN set -e; \
    case "${TARGETARCH:-amd64}" in amd64) cpu=x64 ;; arm64) cpu=arm64 ;; *) echo "no k6-llm meter package for ${TARGETARCH}" >&2; exit 1 ;; esac; \
    sums=$(cd /tmp/k6-llm && grep -E "  (k6-llm|k6-llm-meter-linux-${cpu})-${K6_LLM_VERSION}\.tgz$" SHA256SUMS); \
    [ "$(echo "$sums" | wc -l)" -eq 2 ] || { echo "release/SHA256SUMS lacks k6-llm or k6-llm-meter-linux-${cpu} ${K6_LLM_VERSION}" >&2; exit 1; }; \
    (cd /tmp/k6-llm && echo "$sums" | sha256sum -c -); \
    npm init -y >/dev/null; \
    npm install --omit=dev --no-audit --no-fund "/tmp/k6-llm/k6-llm-${K6_LLM_VERSION}.tgz" "/tmp/k6-llm/k6-llm-meter-linux-${cpu}-${K6_LLM_VERSION}.tgz"; \
    ln -s /opt/k6-llm/node_modules/.bin/k6-llm /usr/local/bin/k6-llm; \
    rm -rf /tmp/k6-llm /root/.npm
# k6-llm runs the image's k6; its cache (k6 is not installed into it) in a folder user 12345 can write.
ENV K6_BINARY=/usr/bin/k6 \
    K6_LLM_CACHE=/tmp/k6-llm-cache \
    K6_AUTO_EXTENSION_RESOLUTION=false \
    K6_NEW_MACHINE_READABLE_SUMMARY=false
USER 12345
# The versions of k6-llm, k6 and the packaged meter (SHA-256 checked), as the image's user sees them.
RUN k6-llm --version
WORKDIR /home/k6
ENTRYPOINT ["k6-llm"]
CMD ["--help"]
