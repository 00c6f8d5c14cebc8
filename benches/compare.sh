#!/usr/bin/env bash
# Compares zmtp's perf tools (local_thr/remote_thr, local_lat/remote_lat) with the same
# tools on libzmq (libzmq_*), on loopback only, and prints markdown tables.
#
# Usage: benches/compare.sh            (from anywhere)
#
# Environment:
#   RUNS=3                 runs per implementation and case (at least 3); ours and libzmq
#                          alternate (A B A B ...), the table shows the medians
#   QUICK=1                counts divided by 10 (a quick smoke run)
#   TRANSPORTS="tcp ipc"   transports
#   SIZES="1 64 1024 65536"          throughput message sizes (empty: none)
#   COUNT_1=2000000 COUNT_64=1000000 COUNT_1024=500000 COUNT_65536=20000
#                          message counts per size (COUNT_<size> for any other size,
#                          default 100000)
#   LAT_SIZES="1 1024"     latency message sizes (empty: none)
#   LAT_COUNT=10000        latency roundtrip count
#   IMPLS="ours libzmq"    implementations to run
#   TIMEOUT=60             hard limit (s) for every process
#   TAIL_TIMEOUT=10        how long (s) the receiving side may still run once the sending
#                          side has exited successfully (messages lost => n/a)
#   BASE_PORT=<20000+pid%20000>  first tcp port tried (127.0.0.1 only)
#   NO_BUILD=1             skip the cargo build
#   CARGO_TARGET_DIR=/work/target-bench, JOBS=2   build settings
#   ZMTP_PERF_RUNTIME=multi|current, ZMTP_PERF_THREADS=N   runtime of our tools
#   ZMTP_PERF_SENDER_GRACE_MS=N   senders (both) stay connected N ms after the last send
#
# Progress and failures go to stderr, the tables to stdout.

set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
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
IMPLS=${IMPLS:-"ours libzmq"}
TIMEOUT=${TIMEOUT:-60}
TAIL_TIMEOUT=${TAIL_TIMEOUT:-10}
BASE_PORT=${BASE_PORT:-$((20000 + $$ % 20000))}

log() { echo "$*" >&2; }

thr_count() {
    local size=$1 var="COUNT_$1" def
    case $size in
    1) def=2000000 ;;
    64) def=1000000 ;;
    1024) def=500000 ;;
    65536) def=20000 ;;
    *) def=100000 ;;
    esac
    if [[ $QUICK == 1 ]]; then def=$((def / 10)); fi
    echo "${!var:-$def}"
}
if [[ $QUICK == 1 ]]; then LAT_COUNT=${LAT_COUNT:-2000}; else LAT_COUNT=${LAT_COUNT:-10000}; fi

# ---------------------------------------------------------------- build

if [[ ${NO_BUILD:-0} != 1 ]]; then
    log "building (release, --features libzmq) into $CARGO_TARGET_DIR ..."
    if ! (cd "$ROOT" && cargo build -j"$JOBS" --release -p benches --features libzmq) >&2; then
        log "build failed"
        exit 1
    fi
fi
for t in local_thr remote_thr local_lat remote_lat; do
    for p in "" libzmq_; do
        if [[ ! -x $BIN/$p$t ]]; then
            log "missing $BIN/$p$t"
            exit 1
        fi
    done
done

# ---------------------------------------------------------------- processes

TMP=$(mktemp -d "/tmp/zmtp-compare-$$-XXXXXX")
LPID="" RPID="" IPC_PATH=""
cleanup() {
    local p
    for p in $LPID $RPID; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    [[ -n $IPC_PATH ]] && rm -f "$IPC_PATH"
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

PORT_SEQ=0
# Sets PORT to the next free loopback port from BASE_PORT on (each run gets a new one).
PORT=""
next_port() {
    local port
    while :; do
        port=$((BASE_PORT + PORT_SEQ))
        PORT_SEQ=$((PORT_SEQ + 1))
        if ((port > 65535)); then
            BASE_PORT=20000
            PORT_SEQ=0
            continue
        fi
        if [[ -z $(ss -Htan "( sport = :$port )" 2>/dev/null) ]]; then
            PORT=$port
            return
        fi
    done
}

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

# first_line FILE...: the first non-empty line among files (for error reports).
first_line() {
    cat "$@" 2>/dev/null | grep -v '^\s*$' | grep -v '^note: run with' | head -n 2 | tr '\n' ' '
}

# run_pair thr|lat ours|libzmq TRANSPORT SIZE COUNT: sets RESULT to the result (msg/s or
# us) or n/a. (Not run in a subshell: the port counter and the pids are global.)
RESULT=""
run_pair() {
    local kind=$1 impl=$2 transport=$3 size=$4 count=$5
    local prefix="" ep where
    [[ $impl == libzmq ]] && prefix=libzmq_
    local lbin=$BIN/${prefix}local_$kind rbin=$BIN/${prefix}remote_$kind
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
    : >"$lout" && : >"$lerr" && : >"$rout" && : >"$rerr"

    timeout "$TIMEOUT" "$lbin" "$ep" "$size" "$count" >"$lout" 2>"$lerr" &
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
    timeout "$TIMEOUT" "$rbin" "$ep" "$size" "$count" >"$rout" 2>"$rerr" &
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
    fi
}

# median FORMAT VALUES...: median of the numeric values (n/a ignored), or n/a.
median() {
    local fmt=$1
    shift
    printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g |
        awk -v fmt="$fmt" '{ a[NR] = $1 }
            END {
                if (NR == 0) { print "n/a"; exit }
                m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
                printf fmt "\n", m
            }'
}

# ratio A B: A / B with 2 decimals, or n/a.
ratio() {
    if [[ $1 == n/a || $2 == n/a ]]; then
        echo "n/a"
    else
        awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f\n", a / b }'
    fi
}

has_impl() { [[ " $IMPLS " == *" $1 "* ]]; }

# run_case thr|lat TRANSPORT SIZE COUNT FORMAT: runs ours and libzmq alternately RUNS times
# (A B A B ...) and sets CASE_OURS and CASE_LIB to the medians (CASE_*_CELL: table cells).
CASE_OURS="" CASE_LIB="" CASE_OURS_CELL="" CASE_LIB_CELL=""
run_case() {
    local kind=$1 transport=$2 size=$3 count=$4 fmt=$5 r o l
    local -a ours=() lib=()
    log "  $kind $transport ${size}B x $count"
    for ((r = 1; r <= RUNS; r++)); do
        o="-" l="-"
        if has_impl ours; then
            run_pair "$kind" ours "$transport" "$size" "$count"
            o=$RESULT
            ours+=("$o")
        fi
        if has_impl libzmq; then
            run_pair "$kind" libzmq "$transport" "$size" "$count"
            l=$RESULT
            lib+=("$l")
        fi
        log "    run $r: ours=$o libzmq=$l"
    done
    CASE_OURS=$(median "$fmt" "${ours[@]}")
    CASE_LIB=$(median "$fmt" "${lib[@]}")
    CASE_OURS_CELL=$(cell "$CASE_OURS" "$(ok_count "${ours[@]}")")
    CASE_LIB_CELL=$(cell "$CASE_LIB" "$(ok_count "${lib[@]}")")
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

log "zmtp vs libzmq: RUNS=$RUNS QUICK=$QUICK TRANSPORTS=($TRANSPORTS) IMPLS=($IMPLS)"
THR_ROWS=()
for transport in $TRANSPORTS; do
    for size in $SIZES; do
        count=$(thr_count "$size")
        run_case thr "$transport" "$size" "$count" "%d"
        THR_ROWS+=("| $transport | $size | $CASE_OURS_CELL | $CASE_LIB_CELL | $(ratio "$CASE_OURS" "$CASE_LIB") |")
    done
done
LAT_ROWS=()
for transport in $TRANSPORTS; do
    for size in $LAT_SIZES; do
        run_case lat "$transport" "$size" "$LAT_COUNT" "%.3f"
        LAT_ROWS+=("| $transport | $size | $CASE_OURS_CELL | $CASE_LIB_CELL | $(ratio "$CASE_OURS" "$CASE_LIB") |")
    done
done

counts=""
for size in $SIZES; do counts+="${counts:+, }${size} B: $(thr_count "$size")"; done
if ((${#THR_ROWS[@]} > 0)); then
    echo
    echo "### Throughput, PUSH/PULL (msg/s, median of $RUNS runs; ratio = ours / libzmq, higher is better)"
    echo
    echo "Message counts: $counts. Host: $(nproc) CPUs, $(uname -sr)."
    echo
    echo "| transport | size | ours msg/s | libzmq msg/s | ratio |"
    echo "|---|---:|---:|---:|---:|"
    printf '%s\n' "${THR_ROWS[@]}"
fi
if ((${#LAT_ROWS[@]} > 0)); then
    echo
    echo "### Latency, REQ/REP (one-way us, median of $RUNS runs; ratio = ours / libzmq, LOWER is better)"
    echo
    echo "Roundtrips per run: $LAT_COUNT. Host: $(nproc) CPUs, $(uname -sr)."
    echo
    echo "| transport | size | ours us | libzmq us | ratio |"
    echo "|---|---:|---:|---:|---:|"
    printf '%s\n' "${LAT_ROWS[@]}"
fi
