"""The report of a benchmark that alternates two paths, A and B, in rounds (A B A B ...): for each figure, each
path's median over the rounds with its range, and the median of each round's own ratio B/A with its range (on a
shared machine rounds differ more than paths do, so a ratio is taken within a round, never across rounds).

Usage: paired_rounds.py DIR A B FIELD...
  DIR/A-R.txt and DIR/B-R.txt (R = 1, 2, ...) each hold one line with FIELD=NUMBER pairs, e.g. ConnectProbe's
  "connects=500 p50_us=92 p90_us=142 p99_us=1189 max_us=1026847".
Prints a Markdown table. Exits 2 on a usage error, 1 when a round lacks a file or a field.
"""
import os
import re
import statistics
import sys


def figures(path):
    with open(path, errors='replace') as f:
        return {k: float(v) for k, v in re.findall(r'(\w+)=([\d.]+)', f.read())}


def median_range(values, fmt):
    text = fmt % statistics.median(values)
    return text if len(values) == 1 else '%s (%s-%s)' % (text, fmt % min(values), fmt % max(values))


def main(argv):
    if len(argv) < 5:
        print('paired_rounds.py: expected DIR A B FIELD..., got %d arguments' % (len(argv) - 1), file=sys.stderr)
        return 2
    folder, a, b, fields = argv[1], argv[2], argv[3], argv[4:]
    rounds = []
    r = 1
    while os.path.exists(os.path.join(folder, '%s-%d.txt' % (a, r))):
        pair = [figures(os.path.join(folder, '%s-%d.txt' % (p, r))) if os.path.exists(
            os.path.join(folder, '%s-%d.txt' % (p, r))) else {} for p in (a, b)]
        missing = [f for f in fields for got in pair if f not in got]
        if missing:
            print('paired_rounds.py: round %d lacks %s' % (r, ', '.join(sorted(set(missing)))), file=sys.stderr)
            return 1
        rounds.append(pair)
        r += 1
    if not rounds:
        print('paired_rounds.py: no %s-1.txt in %s' % (a, folder), file=sys.stderr)
        return 1
    print('| path | ' + ' | '.join(fields) + ' |')
    print('|---|' + '---|' * len(fields))
    for i, path in enumerate((a, b)):
        print('| %s | ' % path + ' | '.join(median_range([p[i][f] for p in rounds], '%.0f') for f in fields) + ' |')
    print('| ratio %s/%s | ' % (b, a)
          + ' | '.join(median_range([p[1][f] / p[0][f] for p in rounds], '%.2f') for f in fields) + ' |')
    print()
    print('%d rounds; median over the rounds, range in parentheses; the ratio is each round\'s own B/A, then '
          'their median' % len(rounds))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
