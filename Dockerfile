# pzr as a container image: the static binary and CA certificates, nothing else.
#   docker build -t pzr .
#   docker run --rm -v "$PWD:/work" -w /work -e AWS_REGION -e AWS_ACCESS_KEY_ID \
#     -e AWS_SECRET_ACCESS_KEY -e AWS_SESSION_TOKEN pzr plan -f pzr.yaml
#   docker run --rm -v "$PWD:/work" -w /work pzr --sandbox plan -f pzr.yaml

FROM rust:1.88-alpine AS build
# A C toolchain for aws-lc (the TLS crypto), musl's static C runtime.
# Alpine keeps one version of each package per release, so the base
# image's tag pins them.
# hadolint ignore=DL3018
RUN apk add --no-cache build-base cmake perl
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin pzr \
    && cp target/release/pzr /pzr

FROM alpine:3.20 AS certs
# hadolint ignore=DL3018
RUN apk add --no-cache ca-certificates

FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /pzr /usr/local/bin/pzr
# No shell in the image: run pzr's commands directly. A non-root user.
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/pzr"]
