#!/usr/bin/env python3
"""Adds to Sources/OverlayCore/Diagnostics/RuleCatalog.swift every rule id that docs/rules.md
documents and the catalog does not declare yet (severity and the first sentence of "what
triggers it" as its summary), in the docs' order. The catalog stays the declaration: review
the summaries it writes. RuleCatalogTests fail while the two disagree."""
import re, sys
root = __file__.rsplit('/scripts/', 1)[0]
docs = open(root + '/docs/rules.md').read().splitlines()
catalog_path = root + '/Sources/OverlayCore/Diagnostics/RuleCatalog.swift'
catalog = open(catalog_path).read()
declared = set(re.findall(r'Rule\("([^"]+)"', catalog))

def level(s):
    if s.startswith('error / warning'): return '.errorOrWarning'
    if s.startswith('error (apply'): return '.applyError'
    if s.startswith('warning'): return '.warning'
    return '.error'

def summary(desc):
    d = re.sub(r'\*\*([^*]+)\*\*', r'\1', desc)
    d = re.sub(r'\[([^\]]+)\]\([^)]+\)', r'\1', d).replace('`', '')
    d = d.replace('e.g.', 'e.g.\0').replace('i.e.', 'i.e.\0')
    m = re.match(r'(.+?[.!?])(\s|$)', d)
    s = (m.group(1) if m else d).replace('\0', '').strip()
    if len(s) > 150: s = s[:147].rsplit(' ', 1)[0].rstrip(',;:') + '…'
    return s.replace('\\', '\\\\').replace('"', '\\"')

added = []
for line in docs:
    if not line.startswith('| `'): continue
    cols = [c.strip() for c in line.strip().strip('|').split('|')]
    for rid in re.findall(r'`([a-z]+\.[a-z0-9-]+)`', cols[0]):
        if rid not in declared:
            declared.add(rid)
            added.append(f'        Rule("{rid}", {level(cols[1])}, "{summary(cols[2])}"),\n')
if added:
    i = catalog.index('    ]\n', catalog.index('public static let all'))
    catalog = catalog[:i] + ''.join(added) + catalog[i:]
    open(catalog_path, 'w').write(catalog)
print(f'{len(added)} rule(s) added', file=sys.stderr)
for a in added: print(a.strip(), file=sys.stderr)
