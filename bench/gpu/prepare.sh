#!/usr/bin/env bash
# Prepares DIR for bench/gpu/run.py on a GPU machine that has Python and PyTorch but not gnet: two
# travelling jobs (the reference network on 9 000 Fashion-MNIST images, GaussUNet on 200 synthetic
# cells; under 30 MiB together), the bench script and the hand-written twins. Then copy DIR there and
# run `python3 DIR/run.py`.
set -euo pipefail
out=${1:?usage: bench/gpu/prepare.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gnet="node $root/bin/gnet.js"
[ -f "$root/dist/cli/main.js" ] || gnet="node --import tsx $root/cli/main.ts"
mkdir -p "$out"
$gnet job "$root/specs/reference.gnet" --train-size 9000 --device cuda --out "$out/reference"
$gnet job "$root/specs/gauss-unet.gnet" --network GaussUNet --data synthetic-cells:200 --device cuda --out "$out/gauss-unet"
cp "$here/run.py" "$here/twin.py" "$out/"
du -sh "$out"
