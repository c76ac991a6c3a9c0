#!/usr/bin/env python3
"""Writes a synthetic Stacks chainstate tree for the fetch-chainstate benchmark:
<out>/mainnet/ with the layout of the facts sheet (section 6): burnchain/ with sortition/,
headers.sqlite, chainstate/ (vm/index.sqlite, the MARF's marf.sqlite and one large
marf.sqlite.blobs, nakamoto.sqlite, and a few thousand small epoch-2 block files), peer.sqlite,
atlas.sqlite, stacker_db.sqlite.

Content: 4 KiB pages like sqlite's, each 128-byte line 34 random bytes (hashes) then 94 bytes of
structure (a line counter, field names, zeros), so that the tree compresses about 3.5x with
zstd -3 and a little less with gzip, like the real archives (facts sheet: 321 GB -> about 1 TB).

  gen_tree.py OUT SIZE_MIB [SEED]
"""
import os
import random
import struct
import sys

BLOCK = 1 << 20
LINE = 128
RANDOM_BYTES = 34


def template(name):
    """A 1 MiB block of structure for one file: the same 94-byte pattern on every line."""
    pattern = (b'\x00\x00\x00\x01' + name.encode()[:24].ljust(24, b'_') + b'\x0d\x00\x00\x00'
               + bytes(range(16))).ljust(LINE - RANDOM_BYTES, b'\x00')
    line = b'\x00' * RANDOM_BYTES + pattern
    return bytearray(line * (BLOCK // LINE))


def write_file(path, size, rng, name):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    base = template(name)
    lines = BLOCK // LINE
    counter = rng.randrange(1 << 30)
    with open(path, 'wb', buffering=0) as f:
        left = size
        while left > 0:
            block = bytearray(base)
            rnd = os.urandom(RANDOM_BYTES * lines)
            for j in range(RANDOM_BYTES):
                block[j::LINE] = rnd[j * lines:(j + 1) * lines]
            counters = struct.pack('>%dI' % lines, *range(counter, counter + lines))
            counter += lines
            for k in range(4):
                block[RANDOM_BYTES + k::LINE] = counters[k::4]
            n = min(left, BLOCK)
            f.write(block[:n])
            left -= n


def main():
    out, size_mib = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    total = size_mib << 20
    m = os.path.join(out, 'mainnet')
    # (path, share of the total)
    files = [
        ('burnchain/burnchain.sqlite', 0.03),
        ('burnchain/sortition/marf.sqlite', 0.12),
        ('burnchain/sortition/marf.sqlite.blobs', 0.06),
        ('headers.sqlite', 0.02),
        ('chainstate/vm/index.sqlite', 0.08),
        ('chainstate/vm/clarity/marf.sqlite', 0.05),
        ('chainstate/vm/clarity/marf.sqlite.blobs', 0.40),  # the one large blob
        ('chainstate/blocks/nakamoto.sqlite', 0.10),
        ('peer.sqlite', 0.005),
        ('atlas.sqlite', 0.003),
        ('stacker_db.sqlite', 0.002),
    ]
    for rel, share in files:
        write_file(os.path.join(m, rel), int(total * share) // 4096 * 4096, rng, rel)
    # Epoch-2 blocks: a few thousand small files in a two-level fan-out, the rest of the size.
    left = total - sum(int(total * s) // 4096 * 4096 for _, s in files)
    count = 3000
    for i in range(count):
        size = max(4096, left // (count - i) + rng.randrange(-2048, 2048))
        size = min(size, left) if i == count - 1 else size
        left -= size
        rel = 'chainstate/blocks/%02x/%02x/%064x' % (i % 256, (i // 256) % 256, rng.getrandbits(256))
        write_file(os.path.join(m, rel), max(size, 0), rng, 'block')


if __name__ == '__main__':
    main()
