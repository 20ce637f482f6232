"""The report of bin/bench-formation: one Markdown table, per number of members, of the mean, median, standard
deviation, minimum and maximum of every figure the rounds recorded.

Usage: formation_report.py ROUNDS_FILE NODES_FILE
  ROUNDS_FILE  one line per round: "n=N round=R load=L formation_s=... cpu_per_node_s=... ..." (a round that did
               not complete has no formation_s; a skipped one says "skipped")
  NODES_FILE   one line per node and round: "n=N round=R host=fnI rss_kb=... hwm_kb=... threads=..."
Exits 2 on a usage error, 1 when a file does not hold such lines.
"""
import re
import statistics
import sys

ROUND_FIGURES = (
    ('formation_s', 'formation, s, from the last `boxer run` start'),
    ('from_last_join_s', 'formation, s, from the last "Joined the cluster"'),
    ('cpu_per_node_s', 'CPU per node to meshed, s'),
    ('idle_node_cpu_pct', 'idle CPU per node, % of a core'),
    ('idle_seed_cpu_pct', 'idle CPU of the seed, % of a core'),
)
NODE_FIGURES = (
    ('rss_kb', 'RSS per node once meshed, MB'),
    ('hwm_kb', 'peak RSS (VmHWM) per node, MB'),
    ('threads', 'threads per node once meshed'),
)


def records(path):
    """Every line of the file as a dict of its key=value pairs (numbers as floats), the line itself under 'line'."""
    with open(path, errors='replace') as f:
        for line in f:
            fields = {k: number(v) for k, v in re.findall(r'(\w+)=([\w.]+)', line)}
            if 'n' in fields:
                fields['line'] = line
                yield fields


def number(text):
    try:
        return float(text)
    except ValueError:
        return text


def round_key(record):
    """A round: its lab run, size and number (files of several runs may be joined)."""
    return record.get('lab'), record['n'], record.get('round')


def row(n, label, values, scale=1.0):
    values = [v / scale for v in values]
    std = statistics.stdev(values) if len(values) > 1 else 0.0  # sample standard deviation
    return '| %d | %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f |' % (
        n, label, len(values), statistics.mean(values), statistics.median(values), std, min(values), max(values))


def main(argv):
    if len(argv) != 3:
        print('formation_report.py: expected ROUNDS_FILE NODES_FILE, got %d arguments' % (len(argv) - 1),
              file=sys.stderr)
        return 2
    rounds = list(records(argv[1]))
    nodes = list(records(argv[2]))
    if not rounds:
        print('formation_report.py: %s holds no round' % argv[1], file=sys.stderr)
        return 1
    print('| members | figure | samples | mean | median | std | min | max |')
    print('|---|---|---|---|---|---|---|---|')
    notes = []
    for n in sorted({int(r['n']) for r in rounds}):
        tried = [r for r in rounds if r['n'] == n]
        complete = [r for r in tried if 'formation_s' in r]
        for r in tried:
            if 'formation_s' not in r:
                notes.append('- ' + r['line'].strip())
        for key, label in ROUND_FIGURES:
            values = [r[key] for r in complete if key in r]
            if values:
                print(row(n, label, values))
        # a node's footprint counts as "once meshed" only if its round completed; the others were sampled when
        # the round gave up, still forming
        meshed = {round_key(r) for r in complete}
        for key, label in NODE_FIGURES:
            for done, suffix in ((True, ''), (False, ', round incomplete: at its end, not meshed')):
                values = [r[key] for r in nodes if r['n'] == n and key in r and (round_key(r) in meshed) == done]
                if values:
                    scale = 1024.0 if key.endswith('_kb') else 1.0
                    print(row(n, label if done else label.replace(' once meshed', '') + suffix, values, scale))
        loads = [r['load'] for r in tried if 'load' in r]
        if loads:
            notes.append('- %d members: %d of %d rounds complete, load average at round start %.2f-%.2f'
                         % (n, len(complete), len(tried), min(loads), max(loads)))
    print()
    print('\n'.join(notes))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
