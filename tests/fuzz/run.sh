#!/bin/sh
# make fuzz: run each libFuzzer target for SECONDS (nice -n 19, one at a
# time) on its committed corpus and regressions plus build/fuzz/work/<T>/,
# and print a table of executions, time and crashes per target (also in
# build/fuzz/summary.txt).  Exit status 1 if any target crashed; its
# inputs are build/fuzz/crash-<T>-* (copy one to tests/fuzz/regressions/<T>/
# once the parser is fixed).
#   sh tests/fuzz/run.sh SECONDS TARGET...
secs=$1; shift
B=build/fuzz
mkdir -p $B
sum=$B/summary.txt
printf '%-12s %12s %8s %8s %7s %8s\n' target executions exec/s seconds crashes corpus > $sum
rc=0
for t in "$@"; do
	mkdir -p $B/work/$t tests/fuzz/regressions/$t
	rm -f $B/crash-$t-*            # a previous run's (fixed, or kept in regressions/)
	log=$B/$t.log
	start=$(date +%s)
	nice -n 19 $B/$t -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix=$B/crash-$t- \
		$B/work/$t tests/fuzz/corpus/$t tests/fuzz/regressions/$t > $log 2>&1
	status=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' $log | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' $log | tail -1)
	crashes=$(ls $B/crash-$t-* 2>/dev/null | wc -l)
	corpus=$(ls $B/work/$t | wc -l)
	[ "$status" = 0 ] || { rc=1; [ "$crashes" = 0 ] && crashes="exit$status"; }
	printf '%-12s %12s %8s %8s %7s %8s\n' "$t" "${execs:-?}" "${rate:-?}" \
		$((end - start)) "$crashes" "$corpus" >> $sum
done
cat $sum
exit $rc
