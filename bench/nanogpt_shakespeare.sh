#!/usr/bin/env bash
# nanoGPT's CPU configuration for character-level Shakespeare, trained through the gradlens API:
# 4 layers, 4 heads, dModel 128, context 64, batch 12, 2000 steps, AdamW lr 1e-3 (beta2 0.99,
# weight decay 0.1, gradient clip 1.0), 100 warm-up steps then cosine decay to 1e-4 at step 2000,
# no dropout. Prints the final validation loss, the wall time and a sample.
#
#   bench/nanogpt_shakespeare.sh                 # builds the jar if needed and starts the service
#   GRADLENS_URL=http://host:8080 bench/nanogpt_shakespeare.sh   # uses a running service
#
# Environment: CORPUS (default ../shared/data/tinyshakespeare.txt), STEPS (2000), PORT (18090).
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=${CORPUS:-../shared/data/tinyshakespeare.txt}
STEPS=${STEPS:-2000}
PORT=${PORT:-18090}
[ -f "$CORPUS" ] || { echo "corpus $CORPUS not found" >&2; exit 1; }

json() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }

# 1. The service: the given one, or a fresh one with its own data directory.
if [ -n "${GRADLENS_URL:-}" ]; then
  B=$GRADLENS_URL
else
  B=http://localhost:$PORT
  JAR=$(ls target/gradlens-*.jar 2>/dev/null | head -1 || true)
  if [ -z "$JAR" ]; then
    ./mvnw -B -q package -DskipTests
    JAR=$(ls target/gradlens-*.jar | head -1)
  fi
  if curl -sf "$B/actuator/health" >/dev/null; then
    echo "port $PORT is taken by a running service: set PORT, or GRADLENS_URL to use it" >&2
    exit 1
  fi
  WORK=$(mktemp -d)
  echo "starting $JAR on port $PORT (data in $WORK, log in $WORK/service.log)"
  (cd "$WORK" && exec java -jar "$OLDPWD/$JAR" --server.port="$PORT" >service.log 2>&1) &
  SERVICE=$!
  trap 'kill $SERVICE 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -sf "$B/actuator/health" >/dev/null && break
    sleep 1
  done
fi
curl -sf "$B/actuator/health" >/dev/null || { echo "service at $B is not up" >&2; exit 1; }

# 2. The corpus, and a char tokenizer over its alphabet.
DATASET=$(curl -sf -X POST "$B/api/datasets?name=tinyshakespeare" -H 'Content-Type: text/plain' \
  --data-binary @"$CORPUS")
DATASET_ID=$(echo "$DATASET" | json 'd["id"]')
ALPHABET=$(echo "$DATASET" | json 'json.dumps(d["alphabet"])')
echo "dataset $DATASET_ID: $(echo "$DATASET" | json 'd["characters"]') characters, \
$(echo "$DATASET" | json 'd["vocabSize"]') distinct"

MODEL_ID=$(curl -sf -X POST "$B/api/models" -H 'Content-Type: application/json' -d '{
  "name": "nanogpt-shakespeare-char-cpu",
  "dModel": 128, "nHeads": 4, "nLayers": 4, "maxSeqLen": 64, "seed": 1337,
  "optimizer": {"type": "adamw", "learningRate": 1e-3, "beta1": 0.9, "beta2": 0.99,
    "weightDecay": 0.1, "gradClip": 1.0, "schedule": "warmup_cosine",
    "warmupSteps": 100, "decaySteps": 2000, "minLearningRate": 1e-4},
  "tokenizer": {"type": "char", "corpus": '"$ALPHABET"'}}' | json 'd["id"]')
echo "model $MODEL_ID"

# 3. The run, followed through its event stream.
START=$(date +%s.%N)
RUN_ID=$(curl -sf -X POST "$B/api/models/$MODEL_ID/runs" -H 'Content-Type: application/json' \
  -d '{"datasetId": "'"$DATASET_ID"'", "steps": '"$STEPS"', "batchSize": 12, "seqLen": 64,
       "evalInterval": 250, "evalBatches": 20, "checkpointInterval": 500, "seed": 1337}' \
  | json 'd["id"]')
echo "run $RUN_ID started"
curl -sN "$B/api/runs/$RUN_ID/events?every=100" | python3 -u -c '
import sys, json
event = None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("event:"):
        event = line[6:]
    elif line.startswith("data:"):
        d = json.loads(line[5:])
        if event == "step":
            print("step %5d  loss %.4f  lr %.2e  grad norm %.3f  %d ms" % (d["runStep"],
                  d["loss"], d["learningRate"], d["gradNorm"], d["durationMs"]))
        elif event == "eval":
            print("eval at %d: train %.4f  val %.4f" % (d["runStep"], d["trainLoss"],
                  d["valLoss"]))
        elif event == "checkpoint":
            print("checkpoint of step %d: %s" % (d["step"], d["file"]))
        elif event in ("completed", "failed", "cancelled", "interrupted"):
            print("run " + event)
            break
'
END=$(date +%s.%N)

# 4. The figures and a sample.
RUN=$(curl -sf "$B/api/runs/$RUN_ID")
echo "$RUN" | json '"status %s after %d steps" % (d["status"], d["currentStep"])'
echo "$RUN" | json '"final validation loss %.4f, last training-batch loss %.4f"
    % (d["lastValLoss"], d["lastTrainLoss"])'
echo "$RUN" | json '"training time %.1f s (%.2f steps/s, %.0f tokens/s)" % (d["elapsedSeconds"],
    d["currentStep"] / d["elapsedSeconds"], d["tokensPerSecond"])'
python3 -c "print('wall time from POST to the final event: %.1f s' % ($END - $START))"
echo "--- sample (200 tokens, temperature 0.8, seed 1) ---"
curl -sf -X POST "$B/api/models/$MODEL_ID/generate" -H 'Content-Type: application/json' \
  -d '{"prompt": "\n", "maxNewTokens": 200, "temperature": 0.8, "seed": 1}' | json 'd["text"]'
