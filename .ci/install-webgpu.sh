#!/usr/bin/env bash
# What the WebGPU and browser tests need on a machine without a GPU, as installed for them: Mesa's
# lavapipe (a software Vulkan driver) under Dawn in Node, and Debian's chromium for the page tests.
# Run as root on Debian bookworm; safe to run again. Without these the tests skip, saying why.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# bookworm's Mesa 22 is too old for Dawn (the webgpu package); bookworm-backports has Mesa 25.
BACKPORTS_LIST=/etc/apt/sources.list.d/backports.list
BACKPORTS='deb http://deb.debian.org/debian bookworm-backports main'
grep -qsxF "$BACKPORTS" "$BACKPORTS_LIST" || echo "$BACKPORTS" > "$BACKPORTS_LIST"
apt-get update -qq

# libvulkan1: the Vulkan loader Dawn opens (libvulkan.so.1), from bookworm.
# mesa-vulkan-drivers: lavapipe (/usr/share/vulkan/icd.d/lvp_icd.json), from backports; it brings
# the backports builds of the rest of Mesa (libgl1-mesa-dri, libgbm1, …) along.
apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null

# Chromium for test/browser: playwright-core drives /usr/bin/chromium and never downloads a browser.
# Its WebGPU runs on the SwiftShader it bundles.
apt-get install -y -qq chromium >/dev/null

test -f /usr/share/vulkan/icd.d/lvp_icd.json
test -x /usr/bin/chromium
echo "install-webgpu: lavapipe $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers), chromium $(dpkg-query -W -f='${Version}' chromium)"
