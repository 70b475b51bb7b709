# Timing helpers shared by bench/validate.sh and bench/inventory.sh (source after lib.sh).
#
# best_run N CMD…   runs CMD N times under /usr/bin/time -v and prints the best run as
#                   "WALL_S CPU_S PEAK_RSS_KB" (the run with the least wall-clock time;
#                   the peak RSS is the largest seen over all runs).
# floor_bin         compiles bench/libyaml_floor.c once (cc, -lyaml) and prints its path.
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }

best_run() {
    local n=$1 best_w="" best_c="" peak=0 log w u s m
    shift
    log=$(mktemp)
    for _ in $(seq "$n"); do
        /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
        w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
        u=$(awk -F': ' '/User time/ { print $2 }' "$log")
        s=$(awk -F': ' '/System time/ { print $2 }' "$log")
        m=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
        if [ -z "$best_w" ] || [ "$(echo "$w < $best_w" | bc)" = 1 ]; then
            best_w=$w
            best_c=$(echo "$u + $s" | bc)
        fi
        [ "$m" -gt "$peak" ] && peak=$m
    done
    rm -f "$log"
    echo "$best_w $best_c $peak"
}

# /usr/bin/time -v prints wall time with 0.01 s resolution: the floor and overlay's small
# runs need finer, so this times with date and keeps the best of N.
best_wall() {
    local n=$1 best="" s e t
    shift
    for _ in $(seq "$n"); do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}

floor_bin() {
    local bin=bench/out/libyaml_floor
    if [ ! -x "$bin" ] || [ bench/libyaml_floor.c -nt "$bin" ]; then
        cc -O2 -o "$bin" bench/libyaml_floor.c -lyaml
    fi
    echo "$bin"
}
