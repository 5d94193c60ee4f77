#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, seeds their corpora from the test data, and runs each for the
# given time (default 60 s; the team's long run is 600). Prints executions, coverage and
# crashes per harness; exits 1 if any harness found a crash (the input is kept in build-fuzz/).
# Usage: scripts/fuzz.sh [SECONDS_EACH] [HARNESS...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
harnesses=("${@:-image_loader sidecar csv survey_file shard_merge onnx_graph}")
read -r -a harnesses <<<"${harnesses[*]}"
out="$root/build-fuzz"
data="${FEATURECAM_DATA_PATH:-$root/../shared/data}"
models="${FEATURECAM_MODEL_PATH:-$root/../shared/models}"

need=()
for package in clang libclang-rt-14-dev imagemagick python3 python3-onnx qt6-base-dev libqt6sql6-sqlite libopencv-dev \
    libonnx-dev libprotobuf-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

mkdir -p "$out"
flags=(-std=c++17 -g -O1 -fPIC -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
    -fno-omit-frame-pointer -I"$root")
qt_core=$(pkg-config --cflags --libs Qt6Core)
qt_sql=$(pkg-config --cflags --libs Qt6Sql)
opencv=$(pkg-config --cflags --libs opencv4)
e="$root/engine"
build() { # name, sources..., -- libs
    local name="$1"
    shift
    echo "fuzz: building fuzz_$name"
    # shellcheck disable=SC2068
    clang++ "${flags[@]}" $@ -o "$out/fuzz_$name"
}
for h in "${harnesses[@]}"; do
    case "$h" in
    image_loader) build image_loader "$root/tests/fuzz/FuzzImageLoader.cpp" "$e/io/ImageLoader.cpp" "$e/io/Utf8Name.cpp" \
        "$e/io/ImageHeader.cpp" "$e/core/Error.cpp" $opencv ;;
    sidecar) build sidecar "$root/tests/fuzz/FuzzSidecar.cpp" "$e/model/Sidecar.cpp" "$e/model/LabelsFile.cpp" \
        "$e/core/Error.cpp" $qt_core ;;
    csv) build csv "$root/tests/fuzz/FuzzCsv.cpp" "$e/io/CsvTable.cpp" "$e/io/WholeFile.cpp" "$e/evaluate/ImageSet.cpp" \
        "$e/evaluate/PointingGame.cpp" "$e/evaluate/EvaluationStore.cpp" "$e/io/AtomicFile.cpp" \
        "$e/model/Preprocess.cpp" "$e/io/ImageLoader.cpp" "$e/io/Utf8Name.cpp" "$e/io/ImageHeader.cpp" "$e/core/Error.cpp" $opencv $qt_core ;;
    survey_file) build survey_file "$root/tests/fuzz/FuzzSurveyFile.cpp" "$e/survey/SurveyDatabase.cpp" \
        "$e/survey/SurveyPlan.cpp" "$e/core/Error.cpp" $qt_core $qt_sql ;;
    shard_merge) build shard_merge "$root/tests/fuzz/FuzzShardMerge.cpp" "$e/evaluate/ShardMerge.cpp" \
        "$e/evaluate/Sharding.cpp" "$e/evaluate/EvaluationStore.cpp" "$e/evaluate/ImageSet.cpp" "$e/io/CsvTable.cpp" \
        "$e/io/WholeFile.cpp" "$e/io/AtomicFile.cpp" "$e/io/ImageLoader.cpp" "$e/io/Utf8Name.cpp" "$e/io/ImageHeader.cpp" "$e/core/Error.cpp" \
        $opencv $qt_core ;;
    onnx_graph) build onnx_graph "$root/tests/fuzz/FuzzOnnxGraph.cpp" "$e/onnx/OnnxGraph.cpp" "$e/io/WholeFile.cpp" \
        "$e/core/Error.cpp" -lonnx_proto -lprotobuf -DONNX_ML=1 -DONNX_NAMESPACE=onnx ;;
    *) echo "fuzz: unknown harness $h" >&2; exit 2 ;;
    esac
done

# Seed corpora, from the test data (rebuilt each run; the corpus folders keep what the fuzzers find).
seeds="$out/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{image_loader,sidecar,csv,survey_file,shard_merge,onnx_graph} \
    "$out"/corpus/{image_loader,sidecar,csv,survey_file,shard_merge,onnx_graph}
photo="$data/imagenet-sample/n01440764_tench.JPEG"
if [ -f "$photo" ]; then
    convert "$photo" -resize 48x48 "$seeds/image_loader/small.jpg"
    convert "$photo" -resize 40x30 -depth 16 "$seeds/image_loader/deep16.png"
    convert "$photo" -resize 40x30 -colorspace Gray "$seeds/image_loader/gray.png"
    convert "$photo" -resize 40x30 -alpha set -channel A -evaluate set 50% "$seeds/image_loader/alpha.png"
    convert "$photo" -resize 40x30 "$seeds/image_loader/p.bmp"
    convert "$photo" -resize 40x30 "$seeds/image_loader/p.tiff"
    convert "$photo" -resize 40x30 -orient RightTop "$seeds/image_loader/oriented.tiff"
    convert "$photo" -resize 40x30 "$seeds/image_loader/p.webp" 2>/dev/null || true
    convert "$photo" -resize 40x30 -orient RightTop "$seeds/image_loader/oriented.jpg"
    convert "$photo" -resize 40x30 -interlace Plane "$seeds/image_loader/progressive.jpg"
fi
for json in "$models"/*.json; do
    [ -f "$json" ] && cp "$json" "$seeds/sidecar/"
done
printf '{"name":"t","architecture":"a","input_size":[16,16],"color_order":"RGB","mean":[0,0,0],"std":[1,1,1],"labels":"labels.txt","num_classes":1,"target_layer":"x","source":"s","license":"l"}' >"$seeds/sidecar/minimal.json"
[ -f "$data/imagenet-sample/labels.csv" ] && head -20 "$data/imagenet-sample/labels.csv" >"$seeds/csv/labels.csv"
printf '\xef\xbb\xbf File , Class_Index \r\n"a,b.png", 3 \r\nc.png,\r\n' >"$seeds/csv/spreadsheet.csv"
printf 'file,x0,y0,x1,y1,class_index\na.png,1,2,30,20,1\na.png, 0.5 ,0,4,4,\nb.png,10,10,50,12,\n' >"$seeds/csv/boxes.csv"
# A shard folder as FuzzShardMerge reads it: run.json, shard.json and per_image.csv between "====" lines.
python3 - "$seeds/shard_merge/shard.txt" <<'PY'
import json, sys
run = {"methods": ["gradcam"], "models": ["a"], "seed": "0",
       "shard": {"count": 1, "index": 1, "records_per_image": 1, "set_digest": "d", "set_size": 1}}
status = {"complete": True, "images": [{"name": "p.jpg", "position": 0}], "shard": run["shard"], "skipped": []}
header = "image,model,method,variant,convention,truth_class,orig_top1,orig_conf,expl_top1,expl_conf,deletion_auc,insertion_auc,pointing_hit,pointing_energy,deletion_curve,insertion_curve"
row = "p.jpg,a,gradcam,base,hard,3,3,0.5,3,0.25,0.1,0.9,1,0.5,1 0.5 0.1,0.1 0.5 1"
open(sys.argv[1], "w").write(json.dumps(run) + "\n====\n" + json.dumps(status) + "\n====\n" + header + "\n" + row + "\n")
PY
# Tiny ONNX classifiers (Conv, Relu, pooling, Gemm; a Constant attribute, int64 and raw data).
/usr/bin/python3 - "$seeds/onnx_graph" <<'PY'
import sys
import numpy as np
from onnx import TensorProto, helper, numpy_helper
def model(opset, raw):
    w = np.linspace(-1, 1, 4 * 3 * 3 * 3, dtype=np.float32).reshape(4, 3, 3, 3)
    fc = np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4)
    weights = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(fc, "fc")] if raw else \
        [helper.make_tensor("w", TensorProto.FLOAT, w.shape, w.flatten().tolist()),
         helper.make_tensor("fc", TensorProto.FLOAT, fc.shape, fc.flatten().tolist())]
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="/conv", pads=[1, 1, 1, 1]),
             helper.make_node("Clip", ["c", "lo", "hi"], ["r"], name="/clip"),
             helper.make_node("Constant", [], ["lo"], value=helper.make_tensor("lo", TensorProto.FLOAT, [], [0.0])),
             helper.make_node("Constant", [], ["hi"], value=helper.make_tensor("hi", TensorProto.FLOAT, [], [6.0])),
             helper.make_node("GlobalAveragePool", ["r"], ["p"]),
             helper.make_node("Constant", [], ["shape"], value=helper.make_tensor("s", TensorProto.INT64, [2], [1, -1])),
             helper.make_node("Reshape", ["p", "shape"], ["f"]),
             helper.make_node("Gemm", ["f", "fc"], ["y"], transB=1)]
    nodes = nodes[2:4] + nodes[:2] + nodes[4:5] + nodes[5:]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], weights)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="fuzz.sh")
for opset, raw in ((13, True), (17, False), (11, True)):
    open(f"{sys.argv[1]}/tiny{opset}.onnx", "wb").write(model(opset, raw).SerializeToString())
PY
python3 - "$seeds/survey_file/small.fcsurvey" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
PRAGMA page_size = 512;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE images (id INTEGER PRIMARY KEY, name TEXT NOT NULL, png BLOB NOT NULL);
CREATE TABLE stimuli (id INTEGER PRIMARY KEY, image_id INTEGER NOT NULL REFERENCES images(id), model TEXT NOT NULL, method TEXT NOT NULL, variant TEXT NOT NULL, png BLOB NOT NULL);
CREATE TABLE participants (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, seed TEXT NOT NULL, started TEXT NOT NULL, finished TEXT);
CREATE TABLE trials (participant_id INTEGER NOT NULL REFERENCES participants(id), position INTEGER NOT NULL, stimulus_id INTEGER NOT NULL REFERENCES stimuli(id), pool TEXT NOT NULL, PRIMARY KEY (participant_id, position));
CREATE TABLE answers (participant_id INTEGER NOT NULL, position INTEGER NOT NULL, picked_image_id INTEGER, correct INTEGER, pick_ms INTEGER, rating INTEGER, rating_ms INTEGER, answered_at TEXT, PRIMARY KEY (participant_id, position));
""")
for k, v in [("format", "featurecam-survey"), ("version", "1"), ("survey_id", "seed"), ("pool_size", "2"), ("rating_max", "6"), ("settings", "{}"), ("created", "2026-01-01")]:
    db.execute("INSERT INTO meta VALUES (?, ?)", (k, v))
for i in range(3):
    db.execute("INSERT INTO images VALUES (?, ?, ?)", (i, "image%d" % i, b"png"))
    db.execute("INSERT INTO stimuli VALUES (?, ?, 'm', 'gradcam', 'base', ?)", (i, i, b"png"))
db.execute("INSERT INTO participants VALUES (0, 'P1', '1', '2026-01-01', NULL)")
db.execute("INSERT INTO trials VALUES (0, 0, 1, '1 0')")
db.execute("INSERT INTO answers VALUES (0, 0, 1, 1, 900, 4, 800, '2026-01-01')")
db.commit()
PY

status=0
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1"
summary="$out/summary.txt"
: >"$summary"
for h in "${harnesses[@]}"; do
    log="$out/fuzz_$h.log"
    echo "fuzz: running fuzz_$h for ${seconds}s"
    find "$out" -maxdepth 1 -name "crash-$h-*" -delete # a fixed bug's old input; a live one comes back
    set +e
    (cd "$out" && "./fuzz_$h" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3000 -max_len=65536 \
        -artifact_prefix="$out/crash-$h-" "corpus/$h" "seeds/$h" >"$log" 2>&1)
    rc=$?
    set -e
    stats=$(grep -E "^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)" "$log" | tail -1 || true)
    execs=$(echo "$stats" | sed -E 's/^#([0-9]+).*/\1/')
    cov=$(echo "$stats" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
    crashes=$(find "$out" -maxdepth 1 -name "crash-$h-*" | wc -l)
    line="fuzz_$h: ${seconds}s, ${execs:-0} executions, coverage ${cov:-?} edges, corpus $(find "$out/corpus/$h" -type f | wc -l) inputs, exit $rc, crash files $crashes"
    echo "$line" | tee -a "$summary"
    if [ "$rc" -ne 0 ]; then
        status=1
        grep -E "ERROR|SUMMARY|runtime error" "$log" | head -5 >&2 || true
    fi
done
exit $status
