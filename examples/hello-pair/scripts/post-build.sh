#!/bin/sh
# POST_BUILD helper: DKMS runs it in the build directory after each build. It must stay
# executable in the package (dkms mkdeb used to lose the bit, DKMS issue #53).
set -e
echo "hello_pair: built for kernel ${1:-unknown}"
