#!/usr/bin/env bash
# The performance issue's extra rows, ours beside libzmq (the `zmq` crate's libzmq 4.3.4),
# on loopback only, in one interleaved run (ours, libzmq, ours, libzmq, ...), as markdown
# tables with medians and ratios ours / libzmq:
#
#   1. inproc throughput (PUSH/PULL, `inproc_thr`) and latency (REQ/REP, `inproc_lat`):
#      one process, the second socket on its own task (ours) or thread (libzmq), as
#      libzmq's perf/inproc_thr and perf/inproc_lat; CPU = user + system seconds of the
#      process per million messages.
#   2. PUB/SUB fan-out: one `pubsub_pub` process, SUBSCRIBERS `pubsub_sub` processes over
#      tcp, synchronized start (probes until every subscriber sees them). Total delivered
#      rate = messages received by all subscribers / (last delivery at any subscriber -
#      first delivery at any subscriber), wall clock across processes. Lost = sent x
#      subscribers - received. CPU = publisher + subscribers, per million delivered.
#   3. Memory of idle connections: `router_idle` binds a ROUTER, `dealer_idle` (another
#      process) opens IDLE_CONNECTIONS DEALER sockets that each say hello; VmRSS of both
#      processes before and with all connections.
#   4. Allocations per message (ours only): `alloc_count` with a counting global allocator,
#      on the current-thread and the multi-thread runtime.
#
# Usage: benches/extra.sh            (from anywhere)
#
# Environment:
#   RUNS=3                 runs per implementation and case (at least 3; 5 for final numbers)
#   QUICK=1                message counts divided by 10 (a smoke run)
#   ROWS="inproc pubsub idle alloc"   which rows to run
#   INPROC_SIZES="1 64 1024 65536"    inproc throughput sizes (empty: none)
#   COUNT_1=2000000 COUNT_64=1000000 COUNT_1024=500000 COUNT_65536=20000
#                          inproc message counts per size (COUNT_<size>, default 100000)
#   INPROC_LAT_SIZES="1 1024"         inproc latency sizes; LAT_COUNT=10000 roundtrips
#   PUBSUB_SIZE=64 PUBSUB_COUNT=1000000 SUBSCRIBERS=4   fan-out (count per subscriber)
#   PUBSUB_HWM=0           SNDHWM/RCVHWM of the fan-out sockets (0 = unlimited, no drops)
#   IDLE_CONNECTIONS=1000  idle DEALER connections (libzmq caps one context at 1023 sockets)
#   ALLOC_COUNT=100000     messages per allocation-count cell
#   IMPLS="ours libzmq"    implementations to run
#   TIMEOUT=60             hard limit (s) for every process
#   BASE_PORT=<20000+pid%20000>  first tcp port tried (127.0.0.1 only)
#   NO_BUILD=1             skip the cargo build
#   CARGO_TARGET_DIR=/work/target-bench, JOBS=2   build settings
#   ZMTP_PERF_RUNTIME, ZMTP_PERF_THREADS, ZMTP_PERF_API   passed on to our tools
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
ROWS=${ROWS:-"inproc pubsub idle alloc"}
INPROC_SIZES=${INPROC_SIZES-"1 64 1024 65536"}
INPROC_LAT_SIZES=${INPROC_LAT_SIZES-"1 1024"}
IMPLS=${IMPLS:-"ours libzmq"}
TIMEOUT=${TIMEOUT:-60}
BASE_PORT=${BASE_PORT:-$((20000 + $$ % 20000))}
PUBSUB_SIZE=${PUBSUB_SIZE:-64}
SUBSCRIBERS=${SUBSCRIBERS:-4}
export PUBSUB_HWM=${PUBSUB_HWM:-0}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-1000}


if [[ $QUICK == 1 ]]; then
    LAT_COUNT=${LAT_COUNT:-2000}
    PUBSUB_COUNT=${PUBSUB_COUNT:-100000}
    ALLOC_COUNT=${ALLOC_COUNT:-20000}
else
    LAT_COUNT=${LAT_COUNT:-10000}
    PUBSUB_COUNT=${PUBSUB_COUNT:-1000000}
    ALLOC_COUNT=${ALLOC_COUNT:-100000}
fi

has_row() { [[ " $ROWS " == *" $1 "* ]]; }
has_impl() { [[ " $IMPLS " == *" $1 "* ]]; }

# ---------------------------------------------------------------- build

TOOLS="inproc_thr inproc_lat pubsub_pub pubsub_sub router_idle dealer_idle"
if [[ ${NO_BUILD:-0} != 1 ]]; then
    log "building (release, --features libzmq) into $CARGO_TARGET_DIR ..."
    if ! (cd "$ROOT" && cargo build -j"$JOBS" --release -p benches --features libzmq) >&2; then
        log "build failed"
        exit 1
    fi
fi
for t in $TOOLS; do
    for p in "" libzmq_; do
        if [[ ! -x $BIN/$p$t ]]; then
            log "missing $BIN/$p$t"
            exit 1
        fi
    done
done
if [[ ! -x $BIN/alloc_count ]]; then
    log "missing $BIN/alloc_count"
    exit 1
fi

# ---------------------------------------------------------------- processes

TMP=$(mktemp -d "/tmp/zmtp-extra-$$-XXXXXX")
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# start OUT CMD...: starts CMD under `timeout` with stdout and stderr in OUT; sets PID.
PID=""
start() {
    local out=$1
    shift
    timeout "$TIMEOUT" "$@" >"$out" 2>&1 &
    PID=$!
    PIDS+=("$PID")
}

# finish PID: waits for it and sets RC (124 = timed out); forgets the pid.
RC=""
finish() {
    local p=$1 keep=() q
    wait "$p"
    RC=$?
    for q in "${PIDS[@]}"; do [[ $q != "$p" ]] && keep+=("$q"); done
    PIDS=("${keep[@]}")
}

# stop PID: kills and reaps it.
stop() {
    kill "$1" 2>/dev/null
    finish "$1"
}

PORT_SEQ=0
# Sets PORT to the next free loopback port from BASE_PORT on (each use gets a new one).
PORT=""

# wait_listening PID PORT: waits (up to 10 s) until PORT listens; fails when PID exits first.
wait_listening() {
    local pid=$1 port=$2 i
    for ((i = 0; i < 1000; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then return 1; fi
        [[ -n $(ss -Hltn "( sport = :$port )" 2>/dev/null) ]] && return 0
        sleep 0.01
    done
    return 1
}


# field FILE PATTERN: the number after "PATTERN: " on its line in FILE (empty if none).
field() {
    sed -n "s/^$2: \([0-9.][0-9.]*\).*/\1/p" "$1" | head -n 1
}


# ratio A B: A / B with 2 decimals, or n/a.
ratio() {
    if [[ $1 == n/a || $2 == n/a || -z $1 || -z $2 ]]; then
        echo "n/a"
    else
        awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f\n", a / b }'
    fi
}

# per_million CPU COUNT: CPU seconds per million messages (3 decimals), or n/a.
per_million() {
    if [[ -z $1 || -z $2 || $1 == n/a ]]; then
        echo "n/a"
    else
        awk -v c="$1" -v n="$2" 'BEGIN { if (n == 0) print "n/a"; else printf "%.3f\n", c / n * 1e6 }'
    fi
}

# ok_count VALUES...: how many values are numbers.
ok_count() {
    local n=0 v
    for v in "$@"; do [[ $v =~ ^[0-9.]+$ ]] && n=$((n + 1)); done
    echo "$n"
}

# cell VALUE VALUES...: the table cell; a median over fewer than RUNS runs says so.
cell() {
    local value=$1 ok
    shift
    ok=$(ok_count "$@")
    if [[ $value != n/a && $ok -lt $RUNS ]]; then
        echo "$value ($ok/$RUNS runs ok)"
    else
        echo "$value"
    fi
}

prefix_of() { [[ $1 == libzmq ]] && echo libzmq_ || echo ""; }

# ---------------------------------------------------------------- row 1: inproc

# run_inproc thr|lat IMPL SIZE COUNT: sets VALUE (msg/s or us) and CPU (s), or n/a.
VALUE="" CPU=""
run_inproc() {
    local kind=$1 impl=$2 size=$3 count=$4 out=$TMP/inproc.out
    start "$out" "$BIN/$(prefix_of "$impl")inproc_$kind" "$size" "$count"
    finish "$PID"
    VALUE="" CPU=""
    if [[ $RC == 0 ]]; then
        if [[ $kind == thr ]]; then
            VALUE=$(sed -n 's/^mean throughput: \([0-9][0-9]*\) \[msg\/s\]$/\1/p' "$out")
            CPU=$(field "$out" cpu)
        else
            VALUE=$(field "$out" "average latency")
        fi
    fi
    if [[ -z $VALUE ]]; then
        log "    $impl inproc_$kind ${size}B: FAILED (rc=$RC) $(first_line "$out")"
        VALUE="n/a"
    fi
    [[ -z $CPU ]] && CPU="n/a"
}

INPROC_THR_ROWS=() INPROC_LAT_ROWS=()
inproc_rows() {
    local size count r o l oc lc
    for size in $INPROC_SIZES; do
        count=$(thr_count "$size")
        log "  inproc thr ${size}B x $count"
        local -a ours=() lib=() ocpu=() lcpu=()
        for ((r = 1; r <= RUNS; r++)); do
            o="-" l="-"
            if has_impl ours; then
                run_inproc thr ours "$size" "$count"
                o=$VALUE
                ours+=("$o")
                ocpu+=("$(per_million "$CPU" "$count")")
            fi
            if has_impl libzmq; then
                run_inproc thr libzmq "$size" "$count"
                l=$VALUE
                lib+=("$l")
                lcpu+=("$(per_million "$CPU" "$count")")
            fi
            log "    run $r: ours=$o libzmq=$l"
        done
        o=$(median "%d" "${ours[@]}")
        l=$(median "%d" "${lib[@]}")
        oc=$(median "%.3f" "${ocpu[@]}")
        lc=$(median "%.3f" "${lcpu[@]}")
        INPROC_THR_ROWS+=("| $size | $(cell "$o" "${ours[@]}") | $(cell "$l" "${lib[@]}") | $(ratio "$o" "$l") | $oc | $lc |")
    done
    for size in $INPROC_LAT_SIZES; do
        log "  inproc lat ${size}B x $LAT_COUNT"
        local -a ours=() lib=()
        for ((r = 1; r <= RUNS; r++)); do
            o="-" l="-"
            if has_impl ours; then
                run_inproc lat ours "$size" "$LAT_COUNT"
                o=$VALUE
                ours+=("$o")
            fi
            if has_impl libzmq; then
                run_inproc lat libzmq "$size" "$LAT_COUNT"
                l=$VALUE
                lib+=("$l")
            fi
            log "    run $r: ours=$o libzmq=$l"
        done
        o=$(median "%.3f" "${ours[@]}")
        l=$(median "%.3f" "${lib[@]}")
        INPROC_LAT_ROWS+=("| $size | $(cell "$o" "${ours[@]}") | $(cell "$l" "${lib[@]}") | $(ratio "$o" "$l") |")
    done
}

# ---------------------------------------------------------------- row 2: PUB/SUB fan-out

# run_pubsub IMPL: sets VALUE (total delivered msg/s), LOST, CPU (s per million delivered).
LOST=""
run_pubsub() {
    local impl=$1 p pport sport i ppid all_ok=1
    p=$(prefix_of "$impl")
    next_port
    pport=$PORT
    next_port
    sport=$PORT
    VALUE="n/a" LOST="n/a" CPU="n/a"
    start "$TMP/pub.out" "$BIN/${p}pubsub_pub" "tcp://127.0.0.1:$pport" \
        "tcp://127.0.0.1:$sport" "$PUBSUB_SIZE" "$PUBSUB_COUNT" "$SUBSCRIBERS"
    ppid=$PID
    if ! wait_listening "$ppid" "$pport" || ! wait_listening "$ppid" "$sport"; then
        stop "$ppid"
        log "    $impl pubsub: publisher not listening (rc=$RC): $(first_line "$TMP/pub.out")"
        return
    fi
    local -a subs=()
    for ((i = 1; i <= SUBSCRIBERS; i++)); do
        start "$TMP/sub$i.out" "$BIN/${p}pubsub_sub" "tcp://127.0.0.1:$pport" \
            "tcp://127.0.0.1:$sport" "$PUBSUB_SIZE" "$PUBSUB_COUNT"
        subs+=("$PID")
    done
    for ((i = 1; i <= SUBSCRIBERS; i++)); do
        finish "${subs[$((i - 1))]}"
        if [[ $RC != 0 ]]; then
            all_ok=0
            log "    $impl pubsub: subscriber $i failed (rc=$RC): $(first_line "$TMP/sub$i.out")"
        fi
    done
    if ((all_ok == 0)); then
        stop "$ppid"
        return
    fi
    finish "$ppid"
    if [[ $RC != 0 ]]; then
        log "    $impl pubsub: publisher failed (rc=$RC): $(first_line "$TMP/pub.out")"
        return
    fi
    local received=0 first="" last="" cpu n f l c
    cpu=$(field "$TMP/pub.out" cpu)
    for ((i = 1; i <= SUBSCRIBERS; i++)); do
        n=$(field "$TMP/sub$i.out" received)
        f=$(field "$TMP/sub$i.out" first)
        l=$(field "$TMP/sub$i.out" last)
        c=$(field "$TMP/sub$i.out" cpu)
        if [[ -z $n || -z $f || -z $l || -z $c ]]; then
            log "    $impl pubsub: subscriber $i printed no result: $(first_line "$TMP/sub$i.out")"
            return
        fi
        received=$((received + n))
        if [[ -z $first ]] || ((f < first)); then first=$f; fi
        if [[ -z $last ]] || ((l > last)); then last=$l; fi
        cpu=$(awk -v a="$cpu" -v b="$c" 'BEGIN { printf "%.3f", a + b }')
    done
    LOST=$((PUBSUB_COUNT * SUBSCRIBERS - received))
    if ((received > 0 && last > first)); then
        VALUE=$(awk -v n="$received" -v us=$((last - first)) 'BEGIN { printf "%d", n / us * 1e6 }')
    fi
    CPU=$(per_million "$cpu" "$received")
}

PUBSUB_ROWS=()
pubsub_rows() {
    local r o l ol ll
    local -a ours=() lib=() ocpu=() lcpu=() olost=() llost=()
    log "  pubsub ${PUBSUB_SIZE}B x $PUBSUB_COUNT to $SUBSCRIBERS subscribers (hwm $PUBSUB_HWM)"
    for ((r = 1; r <= RUNS; r++)); do
        o="-" l="-" ol="-" ll="-"
        if has_impl ours; then
            run_pubsub ours
            o=$VALUE ol=$LOST
            ours+=("$o")
            ocpu+=("$CPU")
            olost+=("$LOST")
        fi
        if has_impl libzmq; then
            run_pubsub libzmq
            l=$VALUE ll=$LOST
            lib+=("$l")
            lcpu+=("$CPU")
            llost+=("$LOST")
        fi
        log "    run $r: ours=$o (lost $ol) libzmq=$l (lost $ll)"
    done
    o=$(median "%d" "${ours[@]}")
    l=$(median "%d" "${lib[@]}")
    PUBSUB_ROWS+=("| $PUBSUB_SIZE | $SUBSCRIBERS | $(cell "$o" "${ours[@]}") | $(cell "$l" "${lib[@]}") | $(ratio "$o" "$l") | $(lost_cell "${olost[@]}") | $(lost_cell "${llost[@]}") | $(median "%.3f" "${ocpu[@]}") | $(median "%.3f" "${lcpu[@]}") |")
}

# lost_cell VALUES...: the largest loss over the runs (n/a when no run finished).
lost_cell() {
    printf '%s\n' "$@" | grep -E '^-?[0-9]+$' | sort -g | tail -n 1 | grep . || echo "n/a"
}

# ---------------------------------------------------------------- row 3: idle connections

# run_idle IMPL: sets R_BEFORE R_AFTER D_BEFORE D_AFTER (KiB) or n/a.
R_BEFORE="" R_AFTER="" D_BEFORE="" D_AFTER=""
run_idle() {
    local impl=$1 p rpid
    p=$(prefix_of "$impl")
    R_BEFORE="n/a" R_AFTER="n/a" D_BEFORE="n/a" D_AFTER="n/a"
    next_port
    start "$TMP/router.out" "$BIN/${p}router_idle" "tcp://127.0.0.1:$PORT" "$IDLE_CONNECTIONS"
    rpid=$PID
    if ! wait_listening "$rpid" "$PORT"; then
        stop "$rpid"
        log "    $impl idle: router not listening (rc=$RC): $(first_line "$TMP/router.out")"
        return
    fi
    start "$TMP/dealer.out" "$BIN/${p}dealer_idle" "tcp://127.0.0.1:$PORT" "$IDLE_CONNECTIONS"
    finish "$PID"
    if [[ $RC != 0 ]]; then
        stop "$rpid"
        log "    $impl idle: dealers failed (rc=$RC): $(first_line "$TMP/dealer.out")"
        return
    fi
    finish "$rpid"
    if [[ $RC != 0 ]]; then
        log "    $impl idle: router failed (rc=$RC): $(first_line "$TMP/router.out")"
        return
    fi
    R_BEFORE=$(field "$TMP/router.out" "rss before")
    R_AFTER=$(field "$TMP/router.out" "rss after")
    D_BEFORE=$(field "$TMP/dealer.out" "rss before")
    D_AFTER=$(field "$TMP/dealer.out" "rss after")
    : "${R_BEFORE:=n/a}" "${R_AFTER:=n/a}" "${D_BEFORE:=n/a}" "${D_AFTER:=n/a}"
}

# per_conn BEFORE AFTER: (AFTER - BEFORE) / IDLE_CONNECTIONS in KiB (1 decimal), or n/a.
per_conn() {
    if [[ $1 == n/a || $2 == n/a ]]; then
        echo "n/a"
    else
        awk -v a="$1" -v b="$2" -v n="$IDLE_CONNECTIONS" 'BEGIN { printf "%.1f\n", (b - a) / n }'
    fi
}

IDLE_ROWS=()
idle_rows() {
    local r
    local -a orb=() ora=() opc=() oda=() odpc=() lrb=() lra=() lpc=() lda=() ldpc=()
    log "  idle: $IDLE_CONNECTIONS DEALER connections to one ROUTER"
    for ((r = 1; r <= RUNS; r++)); do
        if has_impl ours; then
            run_idle ours
            orb+=("$R_BEFORE") ora+=("$R_AFTER") oda+=("$D_AFTER")
            opc+=("$(per_conn "$R_BEFORE" "$R_AFTER")") odpc+=("$(per_conn "$D_BEFORE" "$D_AFTER")")
            log "    run $r: ours router ${R_BEFORE} -> ${R_AFTER} KiB, dealers ${D_BEFORE} -> ${D_AFTER} KiB"
        fi
        if has_impl libzmq; then
            run_idle libzmq
            lrb+=("$R_BEFORE") lra+=("$R_AFTER") lda+=("$D_AFTER")
            lpc+=("$(per_conn "$R_BEFORE" "$R_AFTER")") ldpc+=("$(per_conn "$D_BEFORE" "$D_AFTER")")
            log "    run $r: libzmq router ${R_BEFORE} -> ${R_AFTER} KiB, dealers ${D_BEFORE} -> ${D_AFTER} KiB"
        fi
    done
    local a b
    a=$(median "%d" "${orb[@]}") b=$(median "%d" "${lrb[@]}")
    IDLE_ROWS+=("| ROUTER process RSS before (KiB) | $a | $b | $(ratio "$a" "$b") |")
    a=$(median "%d" "${ora[@]}") b=$(median "%d" "${lra[@]}")
    IDLE_ROWS+=("| ROUTER process RSS with $IDLE_CONNECTIONS connections (KiB) | $a | $b | $(ratio "$a" "$b") |")
    a=$(median "%.1f" "${opc[@]}") b=$(median "%.1f" "${lpc[@]}")
    IDLE_ROWS+=("| ROUTER growth per connection (KiB) | $a | $b | $(ratio "$a" "$b") |")
    a=$(median "%d" "${oda[@]}") b=$(median "%d" "${lda[@]}")
    IDLE_ROWS+=("| DEALER process RSS with $IDLE_CONNECTIONS sockets (KiB) | $a | $b | $(ratio "$a" "$b") |")
    a=$(median "%.1f" "${odpc[@]}") b=$(median "%.1f" "${ldpc[@]}")
    IDLE_ROWS+=("| DEALER growth per socket (KiB) | $a | $b | $(ratio "$a" "$b") |")
}

# ---------------------------------------------------------------- row 4: allocations

ALLOC_OUT=()
alloc_rows() {
    local rt
    for rt in current multi; do
        log "  alloc_count $ALLOC_COUNT (runtime $rt)"
        start "$TMP/alloc.out" env ZMTP_PERF_RUNTIME=$rt "$BIN/alloc_count" "$ALLOC_COUNT"
        finish "$PID"
        if [[ $RC != 0 ]]; then
            log "    alloc_count ($rt) failed (rc=$RC): $(first_line "$TMP/alloc.out")"
            ALLOC_OUT+=("" "Runtime $rt: failed (rc=$RC)")
            continue
        fi
        ALLOC_OUT+=("" "#### $rt-thread runtime" "")
        mapfile -t -O "${#ALLOC_OUT[@]}" ALLOC_OUT <"$TMP/alloc.out"
    done
}

# ---------------------------------------------------------------- main

log "zmtp vs libzmq, extra rows: RUNS=$RUNS QUICK=$QUICK ROWS=($ROWS) IMPLS=($IMPLS)"
has_row inproc && inproc_rows
has_row pubsub && pubsub_rows
has_row idle && idle_rows
has_row alloc && alloc_rows

HOST="Host: $(nproc) CPUs, $(uname -sr). Median of $RUNS runs, ours and libzmq alternating."
if ((${#INPROC_THR_ROWS[@]} > 0)); then
    counts=""
    for size in $INPROC_SIZES; do counts+="${counts:+, }${size} B: $(thr_count "$size")"; done
    echo
    echo "### inproc throughput, PUSH/PULL in one process (msg/s; ratio = ours / libzmq, higher is better)"
    echo
    echo "Message counts: $counts. CPU = user + system seconds of the process per million messages. $HOST"
    echo
    echo "| size | ours msg/s | libzmq msg/s | ratio | ours CPU s/M msg | libzmq CPU s/M msg |"
    echo "|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${INPROC_THR_ROWS[@]}"
fi
if ((${#INPROC_LAT_ROWS[@]} > 0)); then
    echo
    echo "### inproc latency, REQ/REP in one process (one-way us; ratio = ours / libzmq, LOWER is better)"
    echo
    echo "Roundtrips per run: $LAT_COUNT. $HOST"
    echo
    echo "| size | ours us | libzmq us | ratio |"
    echo "|---:|---:|---:|---:|"
    printf '%s\n' "${INPROC_LAT_ROWS[@]}"
fi
if ((${#PUBSUB_ROWS[@]} > 0)); then
    echo
    echo "### PUB/SUB fan-out over tcp, 1 publisher to $SUBSCRIBERS subscriber processes (total delivered msg/s; higher is better)"
    echo
    echo "$PUBSUB_COUNT messages per subscriber, SNDHWM = RCVHWM = $PUBSUB_HWM (0 = unlimited). Rate = messages received by all subscribers / (last delivery at any subscriber - first delivery at any subscriber). Lost = largest (sent x subscribers - received) over the runs. CPU = publisher + subscribers, user + system seconds per million delivered messages. $HOST"
    echo
    echo "| size | subscribers | ours msg/s | libzmq msg/s | ratio | ours lost | libzmq lost | ours CPU s/M msg | libzmq CPU s/M msg |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${PUBSUB_ROWS[@]}"
fi
if ((${#IDLE_ROWS[@]} > 0)); then
    echo
    echo "### Memory of $IDLE_CONNECTIONS idle tcp connections (VmRSS KiB; ratio = ours / libzmq, LOWER is better)"
    echo
    echo "ROUTER in one process, the DEALERs (one socket per connection; libzmq: one context) in another; each DEALER sends one hello, RSS is read once the ROUTER has all of them. $HOST"
    echo
    echo "| | ours | libzmq | ratio |"
    echo "|---|---:|---:|---:|"
    printf '%s\n' "${IDLE_ROWS[@]}"
fi
if ((${#ALLOC_OUT[@]} > 0)); then
    echo
    echo "### Heap allocations per message, ours (alloc_count: counting global allocator, one process)"
    printf '%s\n' "${ALLOC_OUT[@]}"
fi
