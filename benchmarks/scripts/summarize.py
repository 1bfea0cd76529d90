#!/usr/bin/env python3
"""Medians and spread of interleaved BenchmarkDotNet runs (interleave.sh): per benchmark and side, the median of the
runs' means, their min-max, and each run's ratio to the baseline of its own run and category (median, min-max).
The baseline is found by name (a method named Baseline..., paired by category as below); a benchmark with none takes
BenchmarkDotNet's own Ratio column of the same run (its [Benchmark(Baseline = true)] of the same category) from the
CSV report beside the JSON one, as the PostgreSQL benchmarks need.
Usage: summarize.py OUT_DIR [markdown]"""
import csv, glob, json, os, re, statistics, sys
from collections import defaultdict

out = sys.argv[1]
CATEGORIZED = {'JwtValidationBenchmarks', 'GarbageRejectionBenchmarks', 'PostgreSqlValidationBenchmarks'}

def csv_ratio(rows, b):
    """BenchmarkDotNet's Ratio for benchmark b from its run's CSV report rows (matched by title and parameters), or None."""
    params = [p.split('=', 1) for p in (b.get('Parameters') or '').split('&') if '=' in p]
    for row in rows:
        if row.get('Method') == b['MethodTitle'] and all(row.get(name) == value for name, value in params):
            try:
                return float((row.get('Ratio') or '').rstrip('x'))
            except ValueError:
                return None  # '?' or 'NA': BenchmarkDotNet had no ratio either
    return None

def csv_rows(json_path):
    """The rows of the CSV report written beside a JSON report in the same run; [] when there is none."""
    path = re.sub(r'-report-full(-compressed)?\.json$', '-report.csv', json_path)
    if path == json_path or not os.path.exists(path):
        return []
    with open(path, newline='') as f:
        return list(csv.DictReader(f))

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
    rows = csv_rows(path)
    for key, (mean, b) in runs.items():
        base = baselines.get(key[:3])
        ratio = mean / base if base else csv_ratio(rows, b)
        if ratio is not None:
            ratios[(side, key)].append(ratio)

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
