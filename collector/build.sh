#!/usr/bin/env bash
# Builds the local collector/backend tools the e2e tests run, into .cache/bin/
# (ignored by git):
#
#   otelcol-policy   the collector, from collector/builder-config.yaml with the
#                    OpenTelemetry Collector Builder (ocb) at the same release
#   victoria-logs    VictoriaLogs, the logs backend (go install at a pinned version)
#   victoria-metrics VictoriaMetrics single-node, the metrics backend (likewise)
#   composecheck     docker-compose.yml validator (collector/composecheck)
#
# Each one is rebuilt only when its inputs changed: a stamp file next to the
# binary holds a hash of the inputs (sources, pinned versions, RECIPE, `go
# version`). Needs only Go and the Go module proxy.
#
# OTELCOL_BIN / VICTORIALOGS_BIN / VICTORIAMETRICS_BIN: when set, that binary is used as is and
# nothing is built for it (it must exist and be executable).
# COMPOSECHECK_BIN: the same for the compose validator.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="$ROOT/.cache/bin"
SRC_DIR="$ROOT/.cache/otelcol-src"

OCB_VERSION="v0.161.0"
VICTORIALOGS_VERSION="v1.52.1"
VICTORIAMETRICS_VERSION="v1.151.0"
# Bump when the build recipe below changes, to force a rebuild.
RECIPE=1

die() {
	echo "collector/build.sh: ERROR: $*" >&2
	exit 1
}
log() { echo "collector/build.sh: $*" >&2; }

# Go: PATH first, then the usual install location.
GO="$(command -v go || true)"
if [[ -z "$GO" && -x /usr/local/go/bin/go ]]; then
	GO=/usr/local/go/bin/go
fi

need_go() {
	[[ -n "$GO" ]] || die "Go is not installed (no 'go' on PATH, no /usr/local/go/bin/go). Install Go >= 1.26, or set OTELCOL_BIN, VICTORIALOGS_BIN and VICTORIAMETRICS_BIN to prebuilt binaries."
}

hash_of() { # prints a sha256 of its arguments' contents plus extra strings from stdin
	{
		cat "$@"
		cat
	} | sha256sum | cut -d' ' -f1
}

up_to_date() { # BIN STAMP HASH
	[[ -x "$1" && -f "$2" && "$(cat "$2")" == "$3" ]]
}

check_given() { # NAME VALUE
	[[ -x "$2" ]] || die "$1=$2 is not an executable file"
	log "using $1=$2 (nothing built)"
}

mkdir -p "$BIN_DIR"

# ---------------------------------------------------------------- collector
build_collector() {
	local bin="$BIN_DIR/otelcol-policy" stamp="$BIN_DIR/otelcol-policy.stamp" hash
	need_go
	hash="$(echo "$RECIPE $OCB_VERSION $("$GO" version)" | hash_of "$ROOT/collector/builder-config.yaml")"
	if up_to_date "$bin" "$stamp" "$hash"; then
		log "otelcol-policy is up to date"
		return
	fi
	local ocb="$BIN_DIR/ocb-$OCB_VERSION"
	if [[ ! -x "$ocb" ]]; then
		log "installing the collector builder $OCB_VERSION"
		local tmp
		tmp="$(mktemp -d)"
		GOBIN="$tmp" "$GO" install "go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION" ||
			die "could not install go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION"
		mv "$tmp/builder" "$ocb"
		rm -rf "$tmp"
	fi
	log "building otelcol-policy (a fresh build takes several minutes)"
	rm -rf "$SRC_DIR"
	mkdir -p "$SRC_DIR"
	# The manifest's output_path is set here so it never points into the repo.
	local manifest="$SRC_DIR.manifest.yaml"
	awk -v out="$SRC_DIR" '{print} /^dist:/{print "  output_path: " out}' \
		"$ROOT/collector/builder-config.yaml" >"$manifest"
	"$ocb" --config="$manifest" --skip-compilation >"$SRC_DIR.log" 2>&1 || {
		cat "$SRC_DIR.log" >&2
		die "the collector builder failed to generate the sources"
	}
	(cd "$SRC_DIR" && CGO_ENABLED=0 "$GO" build -trimpath -ldflags="-s -w" -o "$bin.tmp" .) ||
		die "go build of the collector failed (sources in $SRC_DIR)"
	mv "$bin.tmp" "$bin"
	echo "$hash" >"$stamp"
	log "built $bin"
}

# ------------------------------------------- victoria-logs, victoria-metrics
go_install() { # NAME VERSION PACKAGE: `go install PACKAGE@VERSION` into $BIN_DIR/NAME
	local name="$1" version="$2" pkg="$3"
	local bin="$BIN_DIR/$name" stamp="$BIN_DIR/$name.stamp" hash
	need_go
	hash="$(echo "$RECIPE $version $pkg $("$GO" version)" | hash_of)"
	if up_to_date "$bin" "$stamp" "$hash"; then
		log "$name is up to date"
		return
	fi
	log "installing $name $version"
	local tmp
	tmp="$(mktemp -d)"
	CGO_ENABLED=0 GOBIN="$tmp" "$GO" install -trimpath -ldflags="-s -w" "$pkg@$version" ||
		die "go install of $pkg@$version failed"
	mv "$tmp/$name" "$bin"
	rm -rf "$tmp"
	echo "$hash" >"$stamp"
	log "built $bin"
}

# ------------------------------------------------------------ composecheck
build_composecheck() {
	local bin="$BIN_DIR/composecheck" stamp="$BIN_DIR/composecheck.stamp" hash dir="$ROOT/collector/composecheck"
	need_go
	hash="$(echo "$RECIPE $("$GO" version)" | hash_of "$dir/main.go" "$dir/go.mod" "$dir/go.sum")"
	if up_to_date "$bin" "$stamp" "$hash"; then
		log "composecheck is up to date"
		return
	fi
	log "building composecheck"
	(cd "$dir" && CGO_ENABLED=0 "$GO" build -trimpath -o "$bin.tmp" .) || die "go build of composecheck failed"
	mv "$bin.tmp" "$bin"
	echo "$hash" >"$stamp"
	log "built $bin"
}

start=$SECONDS
if [[ -n "${OTELCOL_BIN:-}" ]]; then check_given OTELCOL_BIN "$OTELCOL_BIN"; else build_collector; fi
if [[ -n "${VICTORIALOGS_BIN:-}" ]]; then
	check_given VICTORIALOGS_BIN "$VICTORIALOGS_BIN"
else
	go_install victoria-logs "$VICTORIALOGS_VERSION" github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs
fi
if [[ -n "${VICTORIAMETRICS_BIN:-}" ]]; then
	check_given VICTORIAMETRICS_BIN "$VICTORIAMETRICS_BIN"
else
	go_install victoria-metrics "$VICTORIAMETRICS_VERSION" github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics
fi
if [[ -n "${COMPOSECHECK_BIN:-}" ]]; then check_given COMPOSECHECK_BIN "$COMPOSECHECK_BIN"; else build_composecheck; fi
log "done in $((SECONDS - start))s"
