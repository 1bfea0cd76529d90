#!/usr/bin/env python3
"""Medians and spread of interleaved BenchmarkDotNet runs (interleave.sh): per benchmark and side, the median of the
runs' means, their min-max, and each run's ratio to the baseline of its own run and category (median, min-max).
Usage: summarize.py OUT_DIR [markdown]"""
import glob, json, os, statistics, sys
from collections import defaultdict

out = sys.argv[1]
CATEGORIZED = {'JwtValidationBenchmarks', 'GarbageRejectionBenchmarks', 'PostgreSqlValidationBenchmarks'}
means = defaultdict(list)   # (side, key) -> [mean ns]
ratios = defaultdict(list)  # (side, key) -> [mean / baseline mean, same run]
allocs = {}
for path in sorted(glob.glob(os.path.join(out, '*', 'results', '*-report-full-compressed.json')) + glob.glob(os.path.join(out, '*', 'results', '*-report-full.json'))):
    side = os.path.basename(os.path.dirname(os.path.dirname(path))).split('-')[0]
    data = json.load(open(path))
    runs = {}
    for b in data['Benchmarks']:
        params = b.get('Parameters') or ''
        # The JSON export carries no categories: a class with categories pairs its methods by name
        # (Baseline_X with Ours_X; Ours_CacheHit is the 'Valid' category); other classes have one baseline.
        suffix = b['Method'].split('_', 1)[-1]
        cats = {'CacheHit': 'Valid'}.get(suffix, suffix) if b['Type'] in CATEGORIZED else ''
        key = (b['Type'], params, cats, b['Method'])
        mean = b['Statistics']['Mean']
        runs[key] = (mean, b)
        means[(side, key)].append(mean)
        allocs[(side, key)] = (b.get('Memory') or {}).get('BytesAllocatedPerOperation')
    baselines = {}
    for key, (mean, b) in runs.items():
        if b['Method'].startswith('Baseline'):
            baselines[key[:3]] = mean
    for key, (mean, b) in runs.items():
        base = baselines.get(key[:3])
        if base:
            ratios[(side, key)].append(mean / base)

def fmt(ns):
    return f'{ns/1000:,.2f} us' if ns >= 10000 else f'{ns:,.1f} ns'

keys = sorted({k for (_, k) in means})
print('| benchmark | params | category | n | old median (min-max) | new median (min-max) | new/old | old ratio median (min-max) | new ratio median (min-max) | alloc old/new B |')
print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
for k in keys:
    o, n = means.get(('old', k), []), means.get(('new', k), [])
    ro, rn = ratios.get(('old', k), []), ratios.get(('new', k), [])
    def cell(v): return f'{fmt(statistics.median(v))} ({fmt(min(v))}-{fmt(max(v))})' if v else '-'
    def rcell(v): return f'{statistics.median(v):.2f} ({min(v):.2f}-{max(v):.2f})' if v else '-'
    rel = f'{statistics.median(n)/statistics.median(o):.2f}' if o and n else '-'
    print(f'| {k[3]} | {k[1]} | {k[2]} | {len(o)}/{len(n)} | {cell(o)} | {cell(n)} | {rel} | {rcell(ro)} | {rcell(rn)} | {allocs.get(("old", k))}/{allocs.get(("new", k))} |')
