#!/usr/bin/env bash
# Compares zmtp's perf tools (local_thr/remote_thr, local_lat/remote_lat) with the same
# tools on libzmq (libzmq_*), on the other pure-Rust ZeroMQ implementations OMQ.rs
# (omq_*, crate omq-tokio) and zmq.rs (zmqrs_*, crate zeromq), and on plain std sockets
# (raw_*, length-prefixed messages: the ceiling), on loopback only, and prints markdown
# tables. The peer tools live in benches/peers, a crate outside the workspace.
#
# Usage: benches/compare.sh            (from anywhere)
#
# Environment:
#   RUNS=3                 runs per implementation and case (at least 3); implementations
#                          alternate (A B C D E, A B C D E, ...), the tables show medians
#   QUICK=1                counts divided by 10 (a quick smoke run)
#   TRANSPORTS="tcp ipc"   transports
#   SIZES="1 64 1024 65536"          throughput message sizes (empty: none)
#   COUNT_1=2000000 COUNT_64=1000000 COUNT_1024=500000 COUNT_65536=20000
#                          message counts per size (COUNT_<size> for any other size,
#                          default 100000)
#   LAT_SIZES="1 1024"     latency message sizes (empty: none)
#   LAT_COUNT=10000        latency roundtrip count
#   IMPLS="ours libzmq omq zmqrs raw"  implementations to run (default: all five when the
#                          peers build or, with NO_BUILD=1, are built; else "ours libzmq";
#                          with CURVE=1: "ours omq libzmq-sys"). Also known: libzmq-sys,
#                          the system libzmq (Debian's libzmq3-dev, built with libsodium, so
#                          it has CURVE) through C ports of libzmq's perf tools in
#                          benches/native, built here with gcc into $CARGO_TARGET_DIR/release
#                          (libzmq-sys_*); libzmq3-dev is installed with apt-get when missing
#                          and possible (root), else the script stops with an error
#   CURVE=1                every row runs with CURVE (RFC 26): the tools get
#                          ZMTP_PERF_CURVE=1, which makes the binding side a CURVE server and
#                          the connecting side a CURVE client with the zmq_curve(7) test keys.
#                          Only ours, omq (OMQ.rs's curve feature), libzmq-sys and a base that
#                          knows ZMTP_PERF_CURVE can do it: libzmq (the zmq crate's bundled
#                          libzmq has no libsodium), zmqrs (no CURVE) and raw are skipped with
#                          a note. Tables are titled "CURVE"
#   TIMEOUT=60             hard limit (s) for every process
#   TAIL_TIMEOUT=10        how long (s) the receiving side may still run once the sending
#                          side has exited successfully (messages lost => n/a)
#   BASE_PORT=<20000+pid%20000>  first tcp port tried (127.0.0.1 only)
#   BASELINE=<rev>         also run OUR tools built from another git revision (commit, tag
#                          or branch) as the implementation "base" (labelled with its short
#                          commit hash): a temporary git worktree of the revision (under
#                          mktemp, removed at exit) is built into BASELINE_TARGET_DIR, and
#                          the four binaries are kept in BASELINE_TARGET_DIR/bin/<commit>, so
#                          asking for the same commit again does not rebuild. The tables get
#                          a "base" column and an "ours / base" ratio, and the output ends
#                          with how many rows are more than 10% worse than base. base is
#                          added to IMPLS when IMPLS does not name it.
#   BASELINE_TARGET_DIR=${CARGO_TARGET_DIR}-baseline   the baseline's cargo target dir
#   NO_BUILD=1             skip the cargo builds (a BASELINE must then be built already)
#   CARGO_TARGET_DIR=/work/target-bench, JOBS=2   build settings (both crates)
#   ZMTP_PERF_RUNTIME=multi|current, ZMTP_PERF_THREADS=N   runtime of our tools
#   ZMTP_PERF_MONITOR=1    our tools attach a socket monitor (every event) and drain it
#   ZMTP_PERF_SENDER_GRACE_MS=N   senders (all) stay connected N ms after the last send
#   ZMTP_PERF_OMQ_MODE=blocking|async   OMQ.rs tools: blocking sockets on an OMQ-owned
#                          I/O thread (default) or async sockets on a current-thread runtime
#   ZMTP_PERF_ZMQRS_DRAIN_MS=60000   zmq.rs has no linger: its sender waits at most this
#                          long for the receiver to close after the last send
#
# Ratios: "ours / best peer" takes the best of libzmq, omq and zmqrs (highest msg/s,
# lowest latency); "ours / raw" compares with the raw-socket ceiling; "ours / base" with
# the BASELINE build. CPU is user+sys CPU
# seconds of both processes of a run (bash `times` around each tool), per million
# messages, median over the runs.
#
# Progress and failures go to stderr, the tables to stdout.

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"
ROOT=$(dirname "$HERE")
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-bench}
JOBS=${JOBS:-2}
BIN=$CARGO_TARGET_DIR/release

QUICK=${QUICK:-0}
RUNS=${RUNS:-3}
if ! [[ $RUNS =~ ^[0-9]+$ ]] || ((RUNS < 3)); then
    echo "RUNS=$RUNS raised to 3 (at least 3 runs)" >&2
    RUNS=3
fi
TRANSPORTS=${TRANSPORTS:-"tcp ipc"}
SIZES=${SIZES-"1 64 1024 65536"}
LAT_SIZES=${LAT_SIZES-"1 1024"}
ALL_IMPLS="ours libzmq omq zmqrs raw"
PEER_IMPLS="libzmq omq zmqrs libzmq-sys" # candidates for "best peer"
CURVE=${CURVE:-0}
CURVE_IMPLS="ours omq libzmq-sys base" # the implementations whose tools can do CURVE
BASELINE=${BASELINE:-}
IMPLS_SET=${IMPLS:+1}
if [[ $CURVE == 1 ]]; then
    IMPLS=${IMPLS:-"ours omq libzmq-sys"}
    export ZMTP_PERF_CURVE=1
elif [[ $CURVE == 0 ]]; then
    IMPLS=${IMPLS:-$ALL_IMPLS}
    unset ZMTP_PERF_CURVE
else
    echo "CURVE=$CURVE: 0 or 1" >&2
    exit 1
fi
ALL_IMPLS+=" libzmq-sys"
if [[ -n $BASELINE ]]; then
    ALL_IMPLS+=" base"
    if [[ " $IMPLS " != *" base "* ]]; then IMPLS+=" base"; fi
fi
for impl in $IMPLS; do
    if [[ " $ALL_IMPLS " != *" $impl "* ]]; then
        if [[ $impl == base ]]; then
            echo "IMPLS names base but BASELINE is not set" >&2
        else
            echo "unknown implementation $impl in IMPLS (known: $ALL_IMPLS)" >&2
        fi
        exit 1
    fi
done
if [[ $CURVE == 1 ]]; then
    for impl in $IMPLS; do
        if [[ " $CURVE_IMPLS " != *" $impl "* ]]; then
            case $impl in
            libzmq) why="the zmq crate's bundled libzmq has no libsodium; libzmq-sys has CURVE" ;;
            zmqrs) why="zmq.rs has no CURVE" ;;
            raw) why="no security layer" ;;
            *) why="no CURVE" ;;
            esac
            echo "CURVE=1: skipping $impl ($why)" >&2
            out=""
            for i in $IMPLS; do [[ $i != "$impl" ]] && out+="${out:+ }$i"; done
            IMPLS=$out
        fi
    done
fi
TIMEOUT=${TIMEOUT:-60}
TAIL_TIMEOUT=${TAIL_TIMEOUT:-10}
BASE_PORT=${BASE_PORT:-$((20000 + $$ % 20000))}


if [[ $QUICK == 1 ]]; then LAT_COUNT=${LAT_COUNT:-2000}; else LAT_COUNT=${LAT_COUNT:-10000}; fi

# ---------------------------------------------------------------- build

has_impl() { [[ " $IMPLS " == *" $1 "* ]]; }

# impl_bin IMPL TOOL: the path of an implementation's tool (TOOL: local_thr, ...).
impl_bin() {
    case $1 in
    ours) echo "$BIN/$2" ;;
    base) echo "$BASE_BIN/$2" ;;
    *) echo "$BIN/${1}_$2" ;;
    esac
}

# drop_impl IMPL: removes IMPL from IMPLS.
drop_impl() {
    local out="" i
    for i in $IMPLS; do [[ $i != "$1" ]] && out+="${out:+ }$i"; done
    IMPLS=$out
}

# ---------------------------------------------------------------- cleanup

TMP="" BASE_WT="" LPID="" RPID="" IPC_PATH=""
cleanup() {
    local p
    for p in $LPID $RPID; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    [[ -n $IPC_PATH ]] && rm -f "$IPC_PATH"
    [[ -n $TMP ]] && rm -rf "$TMP"
    if [[ -n $BASE_WT ]]; then
        git -C "$ROOT" worktree remove --force "$BASE_WT/src" >/dev/null 2>&1
        rm -rf "$BASE_WT"
        git -C "$ROOT" worktree prune
    fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- baseline

BASE_COMMIT="" BASE_SHORT="" BASE_BIN=""
BASE_TOOLS="local_thr remote_thr local_lat remote_lat"
if has_impl base; then
    if ! BASE_COMMIT=$(git -C "$ROOT" rev-parse --verify --quiet "$BASELINE^{commit}"); then
        log "BASELINE=$BASELINE is not a git revision"
        exit 1
    fi
    BASE_SHORT=$(git -C "$ROOT" rev-parse --short "$BASE_COMMIT")
    if [[ $CURVE == 1 ]] && ! git -C "$ROOT" grep -q ZMTP_PERF_CURVE "$BASE_COMMIT" -- benches/src/lib.rs; then
        log "CURVE=1: BASELINE=$BASELINE ($BASE_SHORT) predates ZMTP_PERF_CURVE (its tools would run NULL)"
        exit 1
    fi
    BASELINE_TARGET_DIR=${BASELINE_TARGET_DIR:-${CARGO_TARGET_DIR}-baseline}
    BASE_BIN=$BASELINE_TARGET_DIR/bin/$BASE_COMMIT
fi

# base_built: whether the four baseline tools are in BASE_BIN.
base_built() {
    local t
    for t in $BASE_TOOLS; do [[ -x $BASE_BIN/$t ]] || return 1; done
}

# build_base: builds our tools at BASE_COMMIT in a temporary worktree and copies them to
# BASE_BIN (the dependencies stay compiled in BASELINE_TARGET_DIR for the next revision).
build_base() {
    local t bins=()
    BASE_WT=$(mktemp -d "${TMPDIR:-/tmp}/zmtp-baseline-$$-XXXXXX")
    log "baseline $BASELINE = $BASE_SHORT: worktree $BASE_WT/src"
    if ! git -C "$ROOT" worktree add --detach "$BASE_WT/src" "$BASE_COMMIT" >&2; then
        log "git worktree add failed"
        return 1
    fi
    for t in $BASE_TOOLS; do bins+=(--bin "$t"); done
    log "building the baseline tools (release) into $BASELINE_TARGET_DIR ..."
    if ! (cd "$BASE_WT/src" &&
        CARGO_TARGET_DIR=$BASELINE_TARGET_DIR cargo build -j"$JOBS" --release -p benches "${bins[@]}") >&2; then
        log "baseline build failed"
        return 1
    fi
    mkdir -p "$BASE_BIN.tmp.$$"
    for t in $BASE_TOOLS; do cp "$BASELINE_TARGET_DIR/release/$t" "$BASE_BIN.tmp.$$/$t" || return 1; done
    rm -rf "$BASE_BIN"
    mv "$BASE_BIN.tmp.$$" "$BASE_BIN"
    git -C "$ROOT" worktree remove --force "$BASE_WT/src"
    rm -rf "$BASE_WT"
    BASE_WT=""
    git -C "$ROOT" worktree prune
}

NATIVE_DIR=$HERE/native
NATIVE_TOOLS="local_thr remote_thr local_lat remote_lat"

# ensure_libzmq_dev: the system libzmq's headers and library (Debian's libzmq3-dev, built
# with libsodium); installs them with apt-get when missing and possible, else fails.
ensure_libzmq_dev() {
    pkg-config --exists libzmq 2>/dev/null && return 0
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        log "libzmq3-dev is missing: installing it with apt-get ..."
        if DEBIAN_FRONTEND=noninteractive apt-get install -y -q libzmq3-dev >&2 ||
            { apt-get update -q >&2 &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q libzmq3-dev >&2; }; then
            pkg-config --exists libzmq 2>/dev/null && return 0
        fi
    fi
    log "libzmq-sys needs the system libzmq with its headers: install Debian's libzmq3-dev" \
        "(apt-get install libzmq3-dev; pkg-config libzmq must find it), or leave libzmq-sys out of IMPLS"
    return 1
}

# build_native: compiles benches/native/*.c against the system libzmq into
# $BIN/libzmq-sys_<tool>; with CURVE=1 also checks that this libzmq has CURVE.
build_native() {
    local t cflags libs
    ensure_libzmq_dev || return 1
    command -v gcc >/dev/null || { log "libzmq-sys: gcc not found"; return 1; }
    cflags=$(pkg-config --cflags libzmq) libs=$(pkg-config --libs libzmq)
    mkdir -p "$BIN"
    log "building the native libzmq tools ($NATIVE_DIR, system libzmq $(pkg-config --modversion libzmq)) into $BIN ..."
    for t in $NATIVE_TOOLS; do
        # shellcheck disable=SC2086 # pkg-config flags: word splitting wanted
        gcc -O2 -Wall -Wextra -std=gnu11 -o "$BIN/libzmq-sys_$t" "$NATIVE_DIR/$t.c" $cflags $libs >&2 ||
            { log "libzmq-sys: gcc failed on $t.c"; return 1; }
    done
    if [[ $CURVE == 1 ]]; then
        # shellcheck disable=SC2086
        if ! printf '#include <zmq.h>\nint main (void) { return !zmq_has ("curve"); }\n' |
            gcc -x c -o "$BIN/libzmq-sys_has_curve" - $cflags $libs >&2 ||
            ! "$BIN/libzmq-sys_has_curve"; then
            log "CURVE=1: the system libzmq has no CURVE (zmq_has(\"curve\") is false)"
            return 1
        fi
    fi
}

PEERS_MANIFEST=$HERE/peers/Cargo.toml
if [[ ${NO_BUILD:-0} != 1 ]]; then
    if has_impl libzmq-sys && ! build_native; then
        exit 1
    fi
    if has_impl ours || has_impl libzmq; then
        features=()
        has_impl libzmq && features=(--features libzmq)
        log "building our tools (release${features[*]:+, ${features[*]}}) into $CARGO_TARGET_DIR ..."
        if ! (cd "$ROOT" && cargo build -j"$JOBS" --release -p benches "${features[@]}") >&2; then
            log "build failed"
            exit 1
        fi
    fi
    if has_impl base; then
        if base_built; then
            log "baseline $BASELINE = $BASE_SHORT: already built in $BASE_BIN"
        elif ! build_base; then
            exit 1
        fi
    fi
    if has_impl omq || has_impl zmqrs || has_impl raw; then
        log "building the peer tools ($PEERS_MANIFEST, release) into $CARGO_TARGET_DIR ..."
        if ! (cd "$ROOT" && cargo build -j"$JOBS" --release --manifest-path "$PEERS_MANIFEST") >&2; then
            if [[ -n $IMPLS_SET ]]; then
                log "peer build failed"
                exit 1
            fi
            log "peer build failed: running without omq, zmqrs and raw"
            drop_impl omq
            drop_impl zmqrs
            drop_impl raw
        fi
    fi
fi
for impl in $IMPLS; do
    for t in local_thr remote_thr local_lat remote_lat; do
        b=$(impl_bin "$impl" "$t")
        if [[ ! -x $b ]]; then
            if [[ -z $IMPLS_SET && $impl != ours && $impl != libzmq && $impl != base ]]; then
                log "missing $b: running without $impl"
                drop_impl "$impl"
                break
            fi
            [[ $impl == base ]] && log "missing $b: BASELINE=$BASELINE is not built (run once without NO_BUILD=1)"
            log "missing $b"
            exit 1
        fi
    done
done
if [[ -z $IMPLS ]]; then
    log "no implementation to run"
    exit 1
fi

# crate_version NAME: the version of a crate in benches/peers/Cargo.lock (or ?).
crate_version() {
    awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
        "$HERE/peers/Cargo.lock" 2>/dev/null | grep . || echo "?"
}

# ---------------------------------------------------------------- processes

TMP=$(mktemp -d "/tmp/zmtp-compare-$$-XXXXXX")

PORT_SEQ=0
# Sets PORT to the next free loopback port from BASE_PORT on (each run gets a new one).
PORT=""

# wait_listening PID tcp PORT | PID ipc PATH: waits (up to 10 s) until the local side
# listens; fails when it exits first.
wait_listening() {
    local pid=$1 transport=$2 where=$3 i
    for ((i = 0; i < 1000; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then return 1; fi
        case $transport in
        tcp) [[ -n $(ss -Hltn "( sport = :$where )" 2>/dev/null) ]] && return 0 ;;
        ipc) [[ -S $where ]] && return 0 ;;
        esac
        sleep 0.01
    done
    return 1
}


# CPU accounting: each tool runs under `bash -c` that runs it, then writes `times` (the
# second line is the user and sys CPU time of the finished tool, all threads) to a file.
# shellcheck disable=SC2016 # expanded by the inner bash
CPU_WRAP='f=$1; shift; "$@"; rc=$?; times >"$f"; exit $rc'

# cpu_seconds FILE: user+sys seconds from a `times` output (or nothing).
cpu_seconds() {
    awk 'NR == 2 {
            t = 0
            for (i = 1; i <= 2; i++) {
                v = $i; sub(/s$/, "", v); split(v, p, "m"); t += p[1] * 60 + p[2]
            }
            printf "%.6f\n", t
        }' "$1" 2>/dev/null
}

# run_pair thr|lat IMPL TRANSPORT SIZE COUNT: sets RESULT to the result (msg/s or us) or
# n/a, and CPU to the CPU seconds per million messages of both processes (throughput
# runs) or n/a. (Not run in a subshell: the port counter and the pids are global.)
RESULT="" CPU=""
run_pair() {
    local kind=$1 impl=$2 transport=$3 size=$4 count=$5
    local ep where lbin rbin
    lbin=$(impl_bin "$impl" "local_$kind")
    rbin=$(impl_bin "$impl" "remote_$kind")
    if [[ $transport == tcp ]]; then
        next_port
        where=$PORT
        ep="tcp://127.0.0.1:$where"
    else
        PORT_SEQ=$((PORT_SEQ + 1))
        where="/tmp/zmtp-bench-$$-$PORT_SEQ.ipc"
        rm -f "$where"
        IPC_PATH=$where
        ep="ipc://$where"
    fi
    local lout=$TMP/local.out lerr=$TMP/local.err rout=$TMP/remote.out rerr=$TMP/remote.err
    local lcpu=$TMP/local.cpu rcpu=$TMP/remote.cpu
    : >"$lout" && : >"$lerr" && : >"$rout" && : >"$rerr" && : >"$lcpu" && : >"$rcpu"
    CPU="n/a"

    LC_ALL=C timeout "$TIMEOUT" bash -c "$CPU_WRAP" cpu "$lcpu" \
        "$lbin" "$ep" "$size" "$count" >"$lout" 2>"$lerr" &
    LPID=$!
    local lrc="" rrc="" note=""
    if ! wait_listening "$LPID" "$transport" "$where"; then
        kill "$LPID" 2>/dev/null
        wait "$LPID"
        lrc=$?
        LPID=""
        log "    $impl $kind $transport ${size}B: local side not listening (rc=$lrc): $(first_line "$lout" "$lerr")"
        RESULT="n/a"
        return
    fi
    LC_ALL=C timeout "$TIMEOUT" bash -c "$CPU_WRAP" cpu "$rcpu" \
        "$rbin" "$ep" "$size" "$count" >"$rout" 2>"$rerr" &
    RPID=$!

    local remote_done_at=""
    while [[ -z $lrc || -z $rrc ]]; do
        if [[ -z $lrc ]] && ! kill -0 "$LPID" 2>/dev/null; then
            wait "$LPID"
            lrc=$?
            LPID=""
            if [[ $lrc != 0 && -z $rrc ]]; then kill "$RPID" 2>/dev/null; fi
        fi
        if [[ -z $rrc ]] && ! kill -0 "$RPID" 2>/dev/null; then
            wait "$RPID"
            rrc=$?
            RPID=""
            remote_done_at=$SECONDS
            if [[ $rrc != 0 && -z $lrc ]]; then kill "$LPID" 2>/dev/null; fi
        fi
        if [[ -z $lrc && -n $remote_done_at && $rrc == 0 ]] &&
            ((SECONDS - remote_done_at > TAIL_TIMEOUT)); then
            note="local side still waiting ${TAIL_TIMEOUT}s after the remote side exited (messages lost?)"
            kill "$LPID" 2>/dev/null
        fi
        [[ -z $lrc || -z $rrc ]] && sleep 0.02
    done
    [[ $transport == ipc ]] && rm -f "$where"
    IPC_PATH=""

    local value=""
    if [[ $lrc == 0 && $rrc == 0 ]]; then
        if [[ $kind == thr ]]; then
            value=$(sed -n 's/^mean throughput: \([0-9][0-9]*\) \[msg\/s\]$/\1/p' "$lout")
        else
            value=$(sed -n 's/^average latency: \([0-9.][0-9.]*\) \[us\]$/\1/p' "$rout")
        fi
    fi
    if [[ -z $value ]]; then
        [[ $lrc == 124 || $rrc == 124 ]] && note="${note:-timeout ${TIMEOUT}s}"
        log "    $impl $kind $transport ${size}B: FAILED (local rc=$lrc, remote rc=$rrc) ${note} $(first_line "$lerr" "$lout" "$rerr" "$rout")"
        RESULT="n/a"
    else
        RESULT=$value
        local lc rc
        lc=$(cpu_seconds "$lcpu")
        rc=$(cpu_seconds "$rcpu")
        if [[ $kind == thr && -n $lc && -n $rc ]]; then
            CPU=$(awk -v a="$lc" -v b="$rc" -v n="$count" 'BEGIN { printf "%.4f\n", (a + b) / n * 1e6 }')
        fi
    fi
}


# ratio A B: A / B with 2 decimals, or n/a.
ratio() {
    if [[ $1 == n/a || $2 == n/a ]]; then
        echo "n/a"
    else
        awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f\n", a / b }'
    fi
}

# best_peer thr|lat: "VALUE NAME" of the best peer median in MED (highest msg/s, lowest
# latency), or "n/a -".
best_peer() {
    local kind=$1 impl best="n/a" name="-"
    for impl in $PEER_IMPLS; do
        has_impl "$impl" || continue
        [[ ${MED[$impl]} == n/a ]] && continue
        if [[ $best == n/a ]] ||
            awk -v k="$kind" -v a="${MED[$impl]}" -v b="$best" \
                'BEGIN { exit !((k == "thr") ? (a > b) : (a < b)) }'; then
            best=${MED[$impl]}
            name=$impl
        fi
    done
    echo "$best $name"
}

# run_case thr|lat TRANSPORT SIZE COUNT FORMAT: runs the implementations in turn RUNS times
# (A B C A B C ...) and sets MED[impl] (median), CELL[impl] (table cell) and CPUMED[impl]
# (median CPU s per million messages, throughput only).
declare -A MED CELL CPUMED
run_case() {
    local kind=$1 transport=$2 size=$3 count=$4 fmt=$5 r impl line
    local -A vals=() cpus=()
    log "  $kind $transport ${size}B x $count"
    for ((r = 1; r <= RUNS; r++)); do
        line=""
        for impl in $IMPLS; do
            run_pair "$kind" "$impl" "$transport" "$size" "$count"
            vals[$impl]+=" $RESULT"
            cpus[$impl]+=" $CPU"
            line+=" $impl=$RESULT"
            [[ $kind == thr ]] && line+=" (cpu $CPU)"
        done
        log "    run $r:$line"
    done
    for impl in $IMPLS; do
        # shellcheck disable=SC2086 # word splitting wanted
        MED[$impl]=$(median "$fmt" ${vals[$impl]})
        # shellcheck disable=SC2086
        CELL[$impl]=$(cell "${MED[$impl]}" "$(ok_count ${vals[$impl]})")
        # shellcheck disable=SC2086
        CPUMED[$impl]=$(median "%.2f" ${cpus[$impl]})
    done
}

# row thr|lat TRANSPORT SIZE: one table row from MED / CELL / CPUMED.
row() {
    local kind=$1 transport=$2 size=$3 impl out bp
    out="| $transport | $size |"
    for impl in $IMPLS; do out+=" ${CELL[$impl]} |"; done
    if has_ratio_best; then
        read -r -a bp <<<"$(best_peer "$kind")"
        if has_impl ours && [[ ${bp[0]} != n/a ]]; then
            out+=" $(ratio "${MED[ours]}" "${bp[0]}") (${bp[1]}) |"
        else
            out+=" n/a |"
        fi
    fi
    if has_ratio_raw; then out+=" $(ratio "${MED[ours]}" "${MED[raw]}") |"; fi
    if has_ratio_base; then out+=" $(ratio "${MED[ours]}" "${MED[base]}") |"; fi
    if [[ $kind == thr ]]; then
        for impl in $IMPLS; do out+=" ${CPUMED[$impl]} |"; done
    fi
    echo "$out"
}

has_ratio_best() {
    local i
    has_impl ours || return 1
    for i in $PEER_IMPLS; do has_impl "$i" && return 0; done
    return 1
}
has_ratio_raw() { has_impl ours && has_impl raw; }
has_ratio_base() { has_impl ours && has_impl base; }

# base_check thr|lat TRANSPORT SIZE: counts the row in BASE_ROWS, and in BASE_WORSE
# (listed in BASE_WORSE_LIST) when ours is more than 10% worse than base (throughput below
# 0.9 x base, latency above 1.1 x base).
BASE_ROWS=0 BASE_WORSE=0 BASE_WORSE_LIST=""
base_check() {
    local kind=$1 transport=$2 size=$3 r
    has_ratio_base || return 0
    BASE_ROWS=$((BASE_ROWS + 1))
    r=$(ratio "${MED[ours]}" "${MED[base]}")
    [[ $r == n/a ]] && return 0
    if awk -v k="$kind" -v o="${MED[ours]}" -v b="${MED[base]}" \
        'BEGIN { exit !((k == "thr") ? (o < 0.9 * b) : (o > 1.1 * b)) }'; then
        BASE_WORSE=$((BASE_WORSE + 1))
        BASE_WORSE_LIST+="${BASE_WORSE_LIST:+, }$kind $transport ${size}B ($r)"
    fi
}

# header thr|lat: the table header and alignment rows.
header() {
    local kind=$1 impl unit h a
    [[ $kind == thr ]] && unit="msg/s" || unit="us"
    h="| transport | size |"
    a="|---|---:|"
    for impl in $IMPLS; do
        h+=" $impl $unit |"
        a+="---:|"
    done
    if has_ratio_best; then
        h+=" ours / best peer |"
        a+="---:|"
    fi
    if has_ratio_raw; then
        h+=" ours / raw |"
        a+="---:|"
    fi
    if has_ratio_base; then
        h+=" ours / base |"
        a+="---:|"
    fi
    if [[ $kind == thr ]]; then
        for impl in $IMPLS; do
            h+=" $impl CPU s/M |"
            a+="---:|"
        done
    fi
    echo "$h"
    echo "$a"
}

# cell VALUE RUNS_OK: the table cell; a median over fewer than RUNS runs says so.
cell() {
    if [[ $1 != n/a && $2 -lt $RUNS ]]; then
        echo "$1 ($2/$RUNS runs ok)"
    else
        echo "$1"
    fi
}

# ok_count VALUES...: how many values are numbers.
ok_count() {
    local n=0 v
    for v in "$@"; do [[ $v =~ ^[0-9.]+$ ]] && n=$((n + 1)); done
    echo "$n"
}

# ---------------------------------------------------------------- main

log "compare: RUNS=$RUNS QUICK=$QUICK CURVE=$CURVE TRANSPORTS=($TRANSPORTS) IMPLS=($IMPLS)"
THR_ROWS=()
for transport in $TRANSPORTS; do
    for size in $SIZES; do
        count=$(thr_count "$size")
        run_case thr "$transport" "$size" "$count" "%d"
        THR_ROWS+=("$(row thr "$transport" "$size")")
        base_check thr "$transport" "$size"
    done
done
LAT_ROWS=()
for transport in $TRANSPORTS; do
    for size in $LAT_SIZES; do
        run_case lat "$transport" "$size" "$LAT_COUNT" "%.3f"
        LAT_ROWS+=("$(row lat "$transport" "$size")")
        base_check lat "$transport" "$size"
    done
done

# ratio_names thr|lat: the ratio columns present, for the text above a table.
ratio_names() {
    local out=""
    if has_ratio_best; then
        if [[ $1 == thr ]]; then
            out="ours / best peer (best of $PEER_IMPLS present, named)"
        else
            out="ours / best (lowest) peer"
        fi
    fi
    has_ratio_raw && out+="${out:+, }ours / raw"
    has_ratio_base && out+="${out:+, }ours / base"
    echo "$out"
}

# What each column is.
legend() {
    local impl out=""
    for impl in $IMPLS; do
        case $impl in
        ours) out+="${out:+; }ours = zmtp (tokio ${ZMTP_PERF_RUNTIME:-current}-thread runtime)" ;;
        libzmq) out+="${out:+; }libzmq = libzmq via the zmq crate" ;;
        omq) out+="${out:+; }omq = OMQ.rs, omq-tokio $(crate_version omq-tokio) (${ZMTP_PERF_OMQ_MODE:-blocking} sockets)" ;;
        zmqrs) out+="${out:+; }zmqrs = zmq.rs, zeromq $(crate_version zeromq) (current-thread tokio)" ;;
        raw) out+="${out:+; }raw = std TCP/Unix sockets, length-prefixed messages (ceiling)" ;;
        base) out+="${out:+; }base = zmtp at $BASE_SHORT (BASELINE=$BASELINE, same runtime settings)" ;;
        libzmq-sys) out+="${out:+; }libzmq-sys = the system libzmq $(pkg-config --modversion libzmq 2>/dev/null || echo '?') (Debian libzmq3-dev, with libsodium) through C ports of libzmq's perf tools (benches/native)" ;;
        esac
    done
    echo "$out."
}

# curve_note: the sentence on CURVE for the text above a table (CURVE=1), or nothing.
curve_note() {
    [[ $CURVE == 1 ]] || return 0
    echo " CURVE on every connection (ZMTP_PERF_CURVE=1: the binding side is the CURVE server, zmq_curve(7) test keys)."
}

CURVE_TITLE=""
[[ $CURVE == 1 ]] && CURVE_TITLE="CURVE: "
counts=""
for size in $SIZES; do counts+="${counts:+, }${size} B: $(thr_count "$size")"; done
if ((${#THR_ROWS[@]} > 0)); then
    echo
    echo "### ${CURVE_TITLE}Throughput, PUSH/PULL (msg/s, median of $RUNS runs; higher is better)"
    echo
    echo "Message counts: $counts. Host: $(nproc) CPUs, $(uname -sr). $(legend)$(curve_note)"
    if [[ -n $(ratio_names thr) ]]; then
        echo "Ratios: $(ratio_names thr), higher is better."
    fi
    echo "CPU s/M: user+sys CPU seconds of sender and receiver per million messages (median)."
    echo
    header thr
    printf '%s\n' "${THR_ROWS[@]}"
fi
if ((${#LAT_ROWS[@]} > 0)); then
    echo
    echo "### ${CURVE_TITLE}Latency, REQ/REP (one-way us, median of $RUNS runs; LOWER is better)"
    echo
    echo "Roundtrips per run: $LAT_COUNT. Host: $(nproc) CPUs, $(uname -sr). $(legend)$(curve_note)"
    if [[ -n $(ratio_names lat) ]]; then
        echo "Ratios: $(ratio_names lat), lower is better."
    fi
    echo
    header lat
    printf '%s\n' "${LAT_ROWS[@]}"
fi
if has_ratio_base; then
    echo
    echo "Against base ($BASE_SHORT): $BASE_WORSE of $BASE_ROWS rows more than 10% worse" \
        "(throughput below 0.9 x base, latency above 1.1 x base)${BASE_WORSE_LIST:+: $BASE_WORSE_LIST}."
fi
