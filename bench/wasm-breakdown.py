#!/usr/bin/env python3
"""Where an app's WebAssembly goes, by crate: reads `twiggy top --format csv` of the wasm as rustc wrote
it (names kept, before wasm-bindgen and wasm-opt) and sums code and data by the first crate in each
function's path. Names, the wasm-bindgen custom section and its `__wbindgen_describe_*` functions are
left out: wasm-bindgen removes them. Usage:
  twiggy top -n 1000000 --format csv target/wasm32-unknown-unknown/wasm-release/begleitbuch.wasm \\
    | python3 bench/wasm-breakdown.py [--top N] [--crate NAME]
"""
import csv
import re
import sys
from collections import Counter

args = sys.argv[1:]
top = int(args[args.index('--top') + 1]) if '--top' in args else 15
only = args[args.index('--crate') + 1] if '--crate' in args else None

def crate_of(name):
    if name.startswith('data['):
        return 'data segments'
    # `<T as core::fmt::Debug>::fmt` belongs to T's crate; a generic's first path segment otherwise.
    inner = re.match(r'<+&?(?:mut )?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)::', name)
    if inner:
        return inner.group(1)
    plain = re.match(r'([A-Za-z_][A-Za-z0-9_]*)::', name)
    return plain.group(1) if plain else 'other'

sizes = Counter()
functions = []
total = 0
for row in csv.DictReader(sys.stdin):
    name, size = row['Name'], int(row['ShallowSize'])
    if 'function names' in name or name.startswith('custom section') or '__wbindgen_describe' in name:
        continue
    if name.startswith('"') or name in ('wasm magic bytes', 'type[', 'import', 'export', 'table[', 'elem['):
        continue
    crate = crate_of(name)
    total += size
    sizes[crate] += size
    if only is None or crate == only:
        functions.append((size, name))

print(f'code and data: {total:,} bytes')
for crate, size in sizes.most_common(top):
    print(f'{crate:30} {size:>10,} {100 * size / total:5.1f} %')
print()
for size, name in sorted(functions, reverse=True)[:top]:
    print(f'{size:>8,}  {name[:150]}')
