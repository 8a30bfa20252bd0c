#!/usr/bin/env bash
# The hub on a real 3 MB filesystem (tmpfs; needs root): 20,000 identifies with fixed messageIds in
# batches of 20, each sent again until it gets a 200; after 50 refusals (503) the filesystem grows
# to 256 MB without restarting the hub. Prints what was acknowledged, then what the journal, the
# jobs and the emulator hold. Build first: mvn -B -q -DskipTests package -pl server -am
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=server/target/gridsync.jar
MNT=$(mktemp -d /tmp/gridsync-fs3.XXXX)
mount -t tmpfs -o size=3m tmpfs "$MNT"
trap 'kill $HUB 2>/dev/null || true; sleep 1; umount "$MNT"; rmdir "$MNT"' EXIT
GRIDSYNC_WRITE_KEY=wk-disk GRIDSYNC_ADMIN_TOKEN=admin-disk java -Xmx512m -jar "$JAR" up --data "$MNT/data" \
    --port 18080 --emulator-port 13030 > "$MNT.log" 2>&1 &
HUB=$!
until curl -s -o /dev/null http://127.0.0.1:18080/healthz; do sleep 0.5; done
python3 - "$MNT" <<'PY'
import base64, json, sqlite3, subprocess, sys, time, urllib.error, urllib.request
mnt = sys.argv[1]
hub, auth = "http://127.0.0.1:18080", "Basic " + base64.b64encode(b"wk-disk:").decode()
def post(b):
    batch = [{"type": "identify", "messageId": f"fill-{n}", "userId": f"u{n}",
              "traits": {"email": f"person{n}@example.com", "note": "x" * 200}} for n in range(b * 20, b * 20 + 20)]
    req = urllib.request.Request(hub + "/v1/batch", json.dumps({"batch": batch}).encode(),
                                 {"Authorization": auth, "Content-Type": "application/json"})
    try:
        return urllib.request.urlopen(req, timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code
acked = refused = 0
grown_at = first_ok = None
for b in range(1000):
    while (s := post(b)) != 200:
        assert s == 503, s
        refused += 1
        if refused == 50 and grown_at is None:
            subprocess.run(["mount", "-o", "remount,size=256m", mnt], check=True)
            grown_at = time.time()
        time.sleep(0.05)
    acked += 20
    if grown_at and first_ok is None:
        first_ok = time.time() - grown_at
time.sleep(20)
db = sqlite3.connect(f"file:{mnt}/data/gridsync.db?mode=ro", uri=True)
q = lambda sql: db.execute(sql).fetchone()[0]
contacts = json.load(urllib.request.urlopen(urllib.request.Request(
    "http://127.0.0.1:13030/v3/marketing/contacts/count", headers={"Authorization": "Bearer SG.x"})))["contact_count"]
print(json.dumps({"acknowledged": acked, "refused_503": refused, "first_200_after_space_s": round(first_ok or -1, 3),
                  "journal_messages": q("SELECT COUNT(DISTINCT message_id) FROM messages"),
                  "ids_without_message": q("SELECT COUNT(*) FROM message_ids i WHERE NOT EXISTS "
                                           "(SELECT 1 FROM messages m WHERE m.message_id = i.message_id)"),
                  "jobs_done": q("SELECT COUNT(*) FROM jobs WHERE state = 'done'"),
                  "emulator_contacts": contacts}))
PY
