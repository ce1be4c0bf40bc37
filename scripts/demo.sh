#!/usr/bin/env bash
# `make demo`: the bundled sample and the replay simulation in one embedded store, a demo login,
# a sample regional report, then the dashboard on http://127.0.0.1:8000 until Ctrl-C.
# Re-running starts from a fresh store (the demo store is build/demo.db, never your archive).
set -euo pipefail

BIN=${BIN:-.venv/bin}
DB=build/demo.db
CORPUS=build/replay-demo
DATA=${KELISIM_SHARED:-../shared}
USER_NAME=demo
PASSWORD=kelisim-demo-2024
REGION="Туркестанская область"

mkdir -p build
rm -f "$DB"
echo "== The bundled sample"
"$BIN/kelisim" --db "$DB" ingest --sample
if [ -d "$DATA/data" ]; then
    echo "== The replay simulation: 180 simulated days built from $DATA/data"
    "$BIN/python" scripts/build_replay.py --data "$DATA/data" --seeds "$DATA/seeds" \
        --out "$CORPUS" --days 180 --per-day 16 >/dev/null
    "$BIN/kelisim" --db "$DB" replay "$CORPUS" --out build/demo-alerts.jsonl
else
    echo "(no $DATA/data here: the demo runs on the sample alone)"
fi
"$BIN/kelisim" --db "$DB" stats
echo "$PASSWORD" | "$BIN/kelisim" --db "$DB" users add "$USER_NAME" --role analyst --password-stdin
echo "== A sample regional report"
"$BIN/kelisim" --db "$DB" report --region "$REGION" --from 2024-05-01 --to 2024-06-30 \
    --format pdf --out build/demo-report.pdf
"$BIN/kelisim" --db "$DB" report --region "$REGION" --from 2024-05-01 --to 2024-06-30 \
    --format html --out build/demo-report.html
"$BIN/kelisim" --db "$DB" report --region "$REGION" --from 2024-05-01 --to 2024-06-30 \
    --format html --lang kk --out build/demo-report-kk.html
cat <<MSG

Dashboard: http://127.0.0.1:8000   (the replayed data is labelled SIMULATION on every page)
Log in as: $USER_NAME / $PASSWORD
Sample report: build/demo-report.pdf, build/demo-report.html (Kazakh: build/demo-report-kk.html)
Stop with Ctrl-C.
MSG
exec "$BIN/kelisim" --db "$DB" serve --host 127.0.0.1 --port 8000
