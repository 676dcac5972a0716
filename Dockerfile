# Build: cgo is required by DuckDB.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/salesout ./cmd/salesout

# Run: Debian bookworm, whose glibc matches the DuckDB library; non-root.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/salesout --create-home salesout
COPY --from=build /out/salesout /usr/local/bin/salesout
USER salesout
WORKDIR /var/lib/salesout
ENV SALESOUT_CONFIG=/etc/salesout/config.yaml
EXPOSE 9464
ENTRYPOINT ["/usr/local/bin/salesout"]
CMD ["run"]
