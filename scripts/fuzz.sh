#!/usr/bin/env bash
# Fuzzes the decoders that read what peers send: the AppWebsocket frame decoder (Fuzz/FrameDecoder)
# and the kuandoHUB reply and request decoders (Fuzz/HubReplies), for SECONDS in all (default 60),
# shared evenly between the two targets (building them takes about half a minute more).
#
#   scripts/fuzz.sh [SECONDS]
#
# Each target is compiled with libFuzzer and AddressSanitizer (swiftc -sanitize=fuzzer,address)
# straight over the module sources it needs, in one module, so no package build is involved.
# Seeds are in Fuzz/corpus/<target>; what libFuzzer learns goes to .build/fuzz/corpus/<target>.
# A crash stops the script with a non-zero status and leaves the input in .build/fuzz/crash-*;
# replay it with .build/fuzz/<target> .build/fuzz/crash-….
set -euo pipefail
cd "$(dirname "$0")/.."

total=${1:-60}
seconds=$(( total / 2 > 0 ? total / 2 : 1 ))
out=.build/fuzz
swiftc=${SWIFTC:-swiftc}
runtime_dir=$(dirname "$(command -v "$swiftc")")/../lib/swift/clang/lib/linux
if ! ls "$runtime_dir" 2>/dev/null | grep -q fuzzer; then
    echo "fuzz: this Swift toolchain has no libFuzzer runtime (looked in $runtime_dir)" >&2
    exit 1
fi
mkdir -p "$out"

# Copies a module's sources into one folder, dropping imports of the other copied modules.
gather() {
    local target=$1
    shift
    rm -rf "$out/src/$target"
    mkdir -p "$out/src/$target"
    for file in "$@"; do
        sed -E '/^import (Busylight|KuandoSync|AppWebsocket|KuandoHub|Timing)$/d' "$file" > "$out/src/$target/$(basename "$(dirname "$file")")-$(basename "$file")"
    done
}

build() {
    local target=$1
    echo "fuzz: building $target"
    # The linker's notes about sanitizer symbols are noise; the log keeps them for a failed build.
    "$swiftc" -sanitize=fuzzer,address -parse-as-library -O -module-name "${target//-/_}" \
        "$out/src/$target"/*.swift -o "$out/$target" >"$out/$target-build.log" 2>&1 \
        || { grep -v "ld.gold: warning" "$out/$target-build.log" | tail -40 >&2; echo "fuzz: $target did not build" >&2; exit 1; }
}

run() {
    local target=$1 seeds=$2
    mkdir -p "$out/corpus/$target"
    echo "fuzz: running $target for $seconds s"
    "$out/$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=8192 \
        -artifact_prefix="$out/crash-$target-" -print_final_stats=1 "$out/corpus/$target" "$seeds" 2>"$out/$target.log" \
        || { tail -40 "$out/$target.log" >&2; echo "fuzz: $target found a crash (input in $out/crash-$target-*)" >&2; exit 1; }
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$out/$target.log" | sed "s/^/fuzz: $target /"
}

gather frame-decoder Sources/AppWebsocket/JSON/*.swift Sources/AppWebsocket/Messages/*.swift Fuzz/FrameDecoder/*.swift
gather hub-replies Sources/Timing/*.swift Sources/Busylight/*.swift Sources/KuandoSync/HubWinner.swift Sources/KuandoHub/Protocol/*.swift Fuzz/HubReplies/*.swift
build frame-decoder
build hub-replies
run frame-decoder Fuzz/corpus/frames
run hub-replies Fuzz/corpus/hub-replies
