#!/usr/bin/env bash
# `./gridsync deliver` on a large file at -Xmx512m: LINES messages (default 5,000,000) for LINES/5
# people, each with an identify, a page, a Product Viewed and two Order Completed, interleaved so that
# every person's lines are spread over the whole file. The emulator runs as its own process (its
# contacts do not count against deliver's heap). Prints and writes bench/results/deliver-<LINES>.json:
# wall time, peak heap after GC (from the GC log), peak RSS, and deliver's summary (requests by endpoint).
# Build first: mvn -B -q -o -DskipTests package -pl server -am
set -euo pipefail
cd "$(dirname "$0")/../.."
LINES=${1:-5000000}
HEAP=${2:-512m}
JAR=server/target/gridsync.jar
WORK=$(mktemp -d /tmp/gridsync-deliver-large.XXXX)
PORT=13031
trap 'kill $EMU 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 - "$LINES" "$WORK/events.ndjson" <<'PY'
import sys
lines, path = int(sys.argv[1]), sys.argv[2]
people = lines // 5
with open(path, "w") as f:
    for k in range(5):
        for p in range(people):
            u = f'"userId":"u{p}","messageId":"m{k}-{p}","timestamp":"2026-12-0{k+1}T10:00:00Z"'
            if k == 0:
                f.write('{"type":"identify",%s,"traits":{"email":"person%d@example.com","first_name":"P%d"}}\n' % (u, p, p))
            elif k == 1:
                f.write('{"type":"page",%s,"properties":{"url":"https://shop.example/p/%d"}}\n' % (u, p))
            elif k == 2:
                f.write('{"type":"track","event":"Product Viewed",%s,"properties":{"product_id":"sku-%d"}}\n' % (u, p))
            else:
                f.write('{"type":"track","event":"Order Completed",%s,"properties":{"revenue":%d.5}}\n' % (u, k))
PY
echo "generated $(wc -l < "$WORK/events.ndjson") lines, $(du -h "$WORK/events.ndjson" | cut -f1)"
java -Xmx12g -jar "$JAR" emulator --port $PORT > "$WORK/emulator.log" 2>&1 &
EMU=$!
until curl -s -o /dev/null http://127.0.0.1:$PORT/_emulator/stats; do sleep 0.5; done
start=$(date +%s.%N)
SENDGRID_API_KEY=SG.bench SENDGRID_API_URL=http://127.0.0.1:$PORT /usr/bin/time -v -o "$WORK/time.txt" \
    java -Xmx$HEAP "-Xlog:gc:file=$WORK/gc.log" -jar "$JAR" deliver --events "$WORK/events.ndjson" \
    --spill-dir "$WORK" > "$WORK/summary.json" 2> "$WORK/deliver.err" || echo "deliver exited $?"
end=$(date +%s.%N)
python3 - "$WORK" "$LINES" "$HEAP" "$start" "$end" <<'PY'
import json, re, sys, os
work, lines, heap, start, end = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
after = [int(m) for m in re.findall(r"->(\d+)M\(", open(work + "/gc.log").read())]
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(work + "/time.txt").read()).group(1))
summary = json.load(open(work + "/summary.json"))
gc = open(work + "/gc.log").read()
result = {"lines": lines, "people": lines // 5, "xmx": heap, "seconds": round(end - start, 1),
          "peak_heap_after_gc_mib": max(after) if after else None, "gc_count": len(after),
          "full_gc_count": gc.count("Pause Full"),
          "peak_rss_mib": rss // 1024, "summary": summary}
print(json.dumps(result, indent=2))
os.makedirs("bench/results", exist_ok=True)
json.dump(result, open(f"bench/results/deliver-{lines}.json", "w"), indent=2)
PY
