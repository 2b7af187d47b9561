# Sourced by the scan benchmarks (bench/scan-throughput.sh, bench/fleet-scan.sh): one table row per
# measured client run. Needs WORK (a scratch directory) set; RUN_IN (an array, default empty) is
# put before /usr/bin/time, e.g. RUN_IN=(bash "$LAB" exec) to run the client in the latency lab.

# CPU seconds used by the whole machine so far (all states but idle and iowait), from /proc/stat.
busy() { awk '/^cpu /{print ($2+$3+$4+$7+$8+$9)/100}' /proc/stat; }

# measure_header: the column names of measure's rows.
measure_header() {
  printf "%-34s %7s %8s %9s %12s %11s %9s\n" client probes wall_s probes/s client_ms/p other_ms/p rss_MiB
}

# measure NAME N OUTFILE COMMAND...: runs COMMAND (stdout to OUTFILE, stderr to $WORK/stderr) and
# prints one row: wall time, N / wall, the client's CPU per item (user+sys of COMMAND and its
# children), the rest of the machine's CPU per item (servers sharing the cores), and the peak RSS
# of the largest client process.
measure() {
  local name=$1 n=$2 out=$3; shift 3
  local before after wall user sys rss
  before=$(busy)
  "${RUN_IN[@]}" /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > "$out" 2> "$WORK/stderr" || true
  after=$(busy)
  # /usr/bin/time puts "Command exited with non-zero status N" first when the exit is not 0.
  read -r wall user sys rss < <(tail -n 1 "$WORK/time")
  awk -v name="$name" -v n="$n" -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$rss" \
      -v total="$(awk -v a="$after" -v b="$before" 'BEGIN{print a-b}')" 'BEGIN{
    client = user + sys; other = total - client; if (other < 0) other = 0;
    printf "%-34s %7d %8.2f %9.1f %12.2f %11.2f %9d\n", name, n, wall, n / wall,
        1000 * client / n, 1000 * other / n, rss / 1024 }'
}
